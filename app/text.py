"""Vietnamese text helpers: normalisation, cleaning typed text, folded search keys and sort keys."""

import re
import unicodedata
from functools import lru_cache

# Letters of the Vietnamese alphabet in dictionary order; ă, â, đ, ê, ô, ơ, ư are letters
# of their own that sort after their base letter.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone marks, in the order dictionaries list them: none, grave, hook, tilde, acute, dot.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a new letter rather than a tone (breve, circumflex, horn).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def nfc(value: str | None) -> str | None:
    """Return value in Unicode NFC, the form all text is stored in."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value)


# Line breaks as Windows, old Macs and Word write them (Word's manual line break is a vertical
# tab, its page break a form feed); stored text has "\n" only.
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# What nobody types on purpose and what breaks things downstream: the C0 controls but tab and
# line feed (XML, so Excel and Word files, cannot hold them; PostgreSQL refuses NUL), DEL and
# the C1 controls; the invisible characters that hide inside words so that search misses them
# (zero-width space, non-joiner and joiner, word joiner, byte-order mark) and the ones that turn
# text around (left-to-right and right-to-left marks, bidi embeddings, overrides and isolates).
_UNWANTED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


def clean(value):
    """value without control or invisible characters, line breaks as "\n"; non-text as it is.

    Every text field of every form goes through this (app.forms.BaseForm), and so do the
    cells of uploaded spreadsheets and the query string.
    """
    if not isinstance(value, str):
        return value
    return _UNWANTED.sub("", _LINE_BREAKS.sub("\n", value))


def fold(value: str | None) -> str:
    """Lower-case value and strip its marks (đ becomes d) for searching.

    Control and invisible characters go too (app.text.clean), so a word stored with a
    zero-width space inside still matches the word typed without one.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", clean(value).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("đ", "d").split())


def clip(value: str | None, limit: int) -> str:
    """value on one line, cut at a word to at most limit characters (plus "…") when longer."""
    text = " ".join((value or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


# Words naming the kind of a commune-level unit: upper case as a name stands alone ("Xã Ia
# Boòng" in a list), lower case inside a sentence ("kiến nghị của xã Ia Boòng"), as Vietnamese
# administrative writing has it. Bodies ("Sở Xây dựng", "Văn phòng Tỉnh ủy") keep their capital.
_COMMUNE_KIND_WORDS = ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ")


def in_sentence(name: str | None) -> str:
    """A unit's name as it is written inside a sentence: "Xã Ia Boòng" → "xã Ia Boòng"."""
    name = name or ""
    for word in _COMMUNE_KIND_WORDS:
        if name.startswith(word):
            return word.lower() + name[len(word):]
    return name


@lru_cache(maxsize=8192)  # unit and people names come back on every page; the key never changes
def sort_key(value: str | None) -> tuple:
    """Key that orders Vietnamese words as dictionaries do (a < ă < â, d < đ, tones after)."""
    if not value:
        return ((), ())
    letters: list[int] = []
    tones: list[int] = []
    for cluster in _clusters(value.lower()):
        base = unicodedata.normalize("NFC", "".join(c for c in cluster if c not in _TONES))
        tone = next((_TONES[c] for c in cluster if c in _TONES), 0)
        letters.append(_LETTER_RANK.get(base, 1000 + ord(base[0])))
        tones.append(tone)
    # Letters decide first; the tones only break ties, letter by letter.
    return (tuple(letters), tuple(tones))


def _clusters(value: str):
    """Yield each base character with the combining marks that follow it."""
    current = ""
    for ch in unicodedata.normalize("NFD", value):
        if unicodedata.combining(ch) and current:
            current += ch
            continue
        if current:
            yield current
        current = ch
    if current:
        yield current
