"""Which new passwords to refuse, and why; the same hash cost for logins that cannot succeed.

New passwords are judged by zxcvbn (Dropbox's strength estimator; offline, its word lists ship
in the package) against the words anyone would try first for this account: its name, the
person's name, the province's and the site's names, and the demo accounts' published password.
zxcvbn's own advice is English, so the reasons shown are written here, in Vietnamese.
"""

import re
import secrets
import threading
import unicodedata
from functools import lru_cache

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from app.demo_mode import DEMO_PASSWORD
from app.text import fold

MIN_LENGTH = 10
MAX_LENGTH = 200
# zxcvbn's scale: 0 too guessable … 4 very unguessable. 3 means about 10^10 guesses or more:
# beyond an online attack by far, and hours of an offline one against a slow hash.
MIN_SCORE = 3
# zxcvbn refuses longer input (its work grows fast with the length); past this only the first
# characters are judged, which are plenty to tell a weak password.
ESTIMATED_CHARS = 72
SITE_NAMES = ("Giao Ban",)

# zxcvbn keeps the user's words in a module-level table while it works: one check at a time.
_estimator_lock = threading.Lock()


def _without_marks(value: str) -> str:
    """value with Vietnamese marks removed, case kept: 'Gia Lài' is as guessable as 'Gia Lai'."""
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")


def _letters(value: str) -> str:
    return re.sub(r"[^a-z]", "", fold(value))


def _compact(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(value))


def guessable_words(*, username: str = "", full_name: str = "", province: str = "") -> list[str]:
    """The words an attacker tries first for this account, each also split into its parts."""
    words: list[str] = []
    for phrase in (username, full_name, province, *SITE_NAMES, DEMO_PASSWORD):
        folded = fold(phrase)
        if not folded:
            continue
        parts = [p for p in re.split(r"[^a-z0-9]+", folded) if p]
        words += [folded, "".join(parts), *parts]
    return list(dict.fromkeys(w for w in words if w))


def _reasons(sequence: list[dict]) -> list[str]:
    """Vietnamese reasons for the weak parts zxcvbn found, in the order they appear."""
    reasons: list[str] = []
    for match in sequence:
        pattern = match.get("pattern")
        if pattern == "dictionary":
            if match.get("dictionary_name") == "user_inputs":
                reason = _("có tên đăng nhập, họ tên, tên tỉnh hoặc tên hệ thống")
            elif match.get("dictionary_name") == "passwords":
                reason = _("có mật khẩu phổ biến trong các danh sách mật khẩu bị lộ")
            else:
                reason = _("chỉ gồm từ thông dụng hoặc tên người")
            if match.get("l33t") or match.get("reversed"):
                reasons.append(_("viết ngược hay thay chữ bằng số (a thành 4, o thành 0) không làm mật khẩu khó đoán hơn"))
        elif pattern == "spatial":
            reason = _("có dãy phím liền nhau trên bàn phím (như qwerty, asdf)")
        elif pattern == "repeat":
            reason = _("có ký tự hoặc cụm ký tự lặp lại (như aaa, abcabc)")
        elif pattern == "sequence":
            reason = _("có dãy ký tự liên tiếp (như abc, 1234)")
        elif pattern in ("date", "regex"):
            reason = _("có năm hoặc ngày tháng")
        else:
            continue
        reasons.append(reason)
    return list(dict.fromkeys(reasons)) or [_("quá ngắn hoặc quá đơn giản")]


def password_problem(password: str, *, username: str = "", full_name: str = "", province: str = "") -> str | None:
    """Why password must not be used for this account (a Vietnamese sentence), or None."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return _("Mật khẩu cần từ %(low)d đến %(high)d ký tự.", low=MIN_LENGTH, high=MAX_LENGTH)
    if _compact(DEMO_PASSWORD) in _compact(password):
        return _(
            "Không dùng mật khẩu của các tài khoản thử nghiệm (đã công bố trong tài liệu hướng dẫn, "
            "ai cũng biết) cho tài khoản thật. Hãy chọn mật khẩu khác."
        )
    names = {_letters(n) for n in (username, full_name, province, *SITE_NAMES)} - {""}
    if _letters(password) in names:
        return _(
            "Mật khẩu chỉ là tên đăng nhập, họ tên, tên tỉnh hoặc tên hệ thống thêm chữ số, ký hiệu: "
            "rất dễ đoán. Hãy chọn mật khẩu khác."
        )
    words = guessable_words(username=username, full_name=full_name, province=province)
    with _estimator_lock:
        result = zxcvbn(_without_marks(password)[:ESTIMATED_CHARS], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return None
    return _(
        "Mật khẩu dễ đoán: %(reasons)s. Hãy dùng cụm gồm ba, bốn từ không liên quan đến nhau "
        "(có thể thêm chữ số, ký hiệu), không chứa tên đăng nhập, họ tên, tên tỉnh hay tên hệ thống.",
        reasons="; ".join(_reasons(result["sequence"])),
    )


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash of a random password made with method, once per process and method."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def spend_dummy_check(password: str, method: str) -> None:
    """Check password against a dummy hash of method, for a login name that has no account.

    The answer takes as long as for a real account with a wrong password, so the time of a
    failed login does not tell whether the name exists (630 ms against 40 ms with scrypt).
    """
    check_password_hash(_dummy_hash(method), password)
