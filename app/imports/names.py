"""Recognise what people type in a spreadsheet: units, fields, meetings.

Names are compared folded (no case, no marks, đ = d, punctuation as spaces) and without
the "Xã" / "Phường" / "Đặc khu" prefix. A name of a unit abolished on 01/07/2025 is
recognised from app/data/legacy_units_<province>.csv and refused with the unit that took
it over; an unknown name gets the closest real ones as suggestions.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import COMMUNE_KINDS, PROVINCIAL_KINDS, Field, Meeting, Unit
from app.text import fold, in_sentence, nfc, sort_key

DATA_DIR = Path(__file__).parent.parent / "data"

# Commune-level prefixes in use since 01/07/2025, folded, longest first ("x." = "xã").
CURRENT_PREFIXES = ("dac khu", "phuong", "xa", "p", "x")
# Prefixes that only old commune-level names carry (thị trấn were abolished with districts).
OLD_COMMUNE_PREFIXES = ("thi tran", "tt")
OLD_DISTRICT_PREFIXES = ("thanh pho", "thi xa", "huyen", "tp", "tx", "h")

ALL_COMMUNES = "all_communes"
ALL_BODIES = "all_bodies"
# Folded, punctuation and spaces removed.
_SHORTCUTS = {
    "tatcaxaphuong": ALL_COMMUNES,
    "tatcacacxaphuong": ALL_COMMUNES,
    "tatcaxaphuongdackhu": ALL_COMMUNES,
    "toanboxaphuong": ALL_COMMUNES,
    "tatcacoquancaptinh": ALL_BODIES,
    "tatcacaccoquancaptinh": ALL_BODIES,
    "toanbocoquancaptinh": ALL_BODIES,
}
SHORTCUT_LABELS = {ALL_COMMUNES: "tất cả xã, phường", ALL_BODIES: "tất cả cơ quan cấp tỉnh"}

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_LIST_SEPARATORS = re.compile(r"[;\n]+")


def key(text) -> str:
    """Folded text with punctuation turned into spaces: "P. Ia-Kring" -> "p ia kring"."""
    return " ".join(_PUNCTUATION.sub(" ", fold(str(text or ""))).replace("_", " ").split())


def _marked(text, prefixes: tuple[str, ...]) -> str:
    """Lower case with its marks kept and the prefix dropped: tells "Ân Nghĩa" from "An Nghĩa"."""
    words = _PUNCTUATION.sub(" ", nfc(str(text or "")).lower()).split()
    for size in (2, 1):
        if len(words) > size and key(" ".join(words[:size])) in prefixes:
            return " ".join(words[size:])
    return " ".join(words)


def _strip(folded: str, prefixes: tuple[str, ...]) -> tuple[str, str | None]:
    for prefix in prefixes:
        if folded.startswith(prefix + " ") and len(folded) > len(prefix) + 1:
            return folded[len(prefix) + 1:], prefix
    return folded, None


def shortcut_of(text) -> str | None:
    """ALL_COMMUNES or ALL_BODIES when text is one of the broadcast shortcuts."""
    return _SHORTCUTS.get(key(text).replace(" ", ""))


def split_list(text) -> list[str]:
    """Unit names of one cell, separated by ";" or line breaks (commas are part of names)."""
    return [part.strip() for part in _LIST_SEPARATORS.split(str(text or "")) if part.strip()]


@dataclass(frozen=True)
class LegacyName:
    name: str
    district: str
    successors: tuple[str, ...]


@cache
def _legacy_table(province_code: int) -> tuple[dict, dict]:
    """(commune base key -> [LegacyName], district base key -> [LegacyName]) for a province.

    A district's successors are the current communes and wards that took over its old
    communes (the table lists each old commune with its district and its successors)."""
    communes: dict[str, list[LegacyName]] = {}
    district_names: dict[str, list[str]] = {}
    taken_over: dict[str, set[str]] = {}
    path = DATA_DIR / f"legacy_units_{province_code}.csv"
    if not path.exists():
        return communes, {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "district":
                base, _prefix = _strip(key(row["old_name"]), OLD_DISTRICT_PREFIXES)
                district_names.setdefault(base, []).append(row["old_name"])
            else:
                base, _prefix = _strip(key(row["old_name"]), OLD_COMMUNE_PREFIXES + CURRENT_PREFIXES)
                successors = tuple(n for n in row["new_names"].split("|") if n)
                communes.setdefault(base, []).append(LegacyName(row["old_name"], row["old_district"], successors))
                taken_over.setdefault(row["old_district"], set()).update(successors)
    districts = {
        base: [LegacyName(name, "", tuple(sorted(taken_over.get(name, ()), key=sort_key))) for name in names]
        for base, names in district_names.items()
    }
    return communes, districts


@dataclass
class Found:
    """The outcome of looking a name up: the thing, or a message saying why not."""

    value: object = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.message is None


def _quote(text) -> str:
    return f"“{str(text).strip()}”"


def _suggest(wanted: str, candidates: dict[str, str], limit: int = 3) -> list[str]:
    """Up to limit display names whose keys are closest to wanted (substrings first)."""
    if not wanted:
        return []
    contained = [name for k, name in candidates.items() if wanted in k or (len(k) > 3 and k in wanted)]
    close = difflib.get_close_matches(wanted, list(candidates), n=limit, cutoff=0.6)
    out: list[str] = []
    for name in contained[:limit] + [candidates[k] for k in close]:
        if name not in out:
            out.append(name)
    return out[:limit]


def _with_suggestions(message: str, suggestions: list[str]) -> str:
    if not suggestions:
        return message
    return message + " " + _("Tên gần giống trong danh mục: %(names)s.", names="; ".join(suggestions))


@dataclass
class Directory:
    """Every active unit, field and meeting, loaded once per file."""

    communes: dict[str, Unit] = field(default_factory=dict)
    bodies: dict[str, Unit] = field(default_factory=dict)
    body_codes: dict[str, Unit] = field(default_factory=dict)
    fields: dict[str, Field] = field(default_factory=dict)
    meetings: list[Meeting] = field(default_factory=list)
    meeting_titles: dict[str, list[Meeting]] = field(default_factory=dict)
    province_code: int = 52
    # (lookup, folded text) -> Found: a 5,000-row file names the same units again and again.
    _memo: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> Directory:
        out = cls(province_code=int(current_app.config["PROVINCE_CODE"]))
        for unit in db.session.scalars(select(Unit).where(Unit.active.is_(True))):
            if unit.kind in COMMUNE_KINDS:
                base, _prefix = _strip(key(unit.name), CURRENT_PREFIXES)
                out.communes[base] = unit
            elif unit.kind in PROVINCIAL_KINDS:
                out.bodies[key(unit.name)] = unit
                out.body_codes[key(unit.code)] = unit
        for item in db.session.scalars(select(Field).where(Field.active.is_(True))):
            out.fields[key(item.name)] = item
        out.meetings = list(db.session.scalars(select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc())))
        for meeting in out.meetings:
            out.meeting_titles.setdefault(key(meeting.title), []).append(meeting)
        return out

    def _remember(self, lookup: str, text, find) -> Found:
        memo_key = (lookup, str(text or "").strip())
        if memo_key not in self._memo:
            self._memo[memo_key] = find(text)
        return self._memo[memo_key]

    # --- units ---------------------------------------------------------------------------

    def _commune(self, text) -> Unit | None:
        folded = key(text)
        base, prefix = _strip(folded, CURRENT_PREFIXES)
        return self.communes.get(base) or (self.communes.get(folded) if prefix else None)

    def _body(self, text) -> Unit | None:
        folded = key(text)
        return self.bodies.get(folded) or self.body_codes.get(folded)

    def _old_name_message(self, text) -> str | None:
        """Why text is refused when it names a unit abolished on 01/07/2025, else None."""
        communes, districts = _legacy_table(self.province_code)
        folded = key(text)
        base, _prefix = _strip(folded, OLD_COMMUNE_PREFIXES + CURRENT_PREFIXES)
        if base in communes:
            # Folding merges "Ân Nghĩa" and "An Nghĩa"; the name as typed, marks and all, decides when it can.
            typed = _marked(text, OLD_COMMUNE_PREFIXES + CURRENT_PREFIXES)
            olds = [o for o in communes[base] if _marked(o.name, OLD_COMMUNE_PREFIXES + CURRENT_PREFIXES) == typed]
            successors = sorted({name for old in olds or communes[base] for name in old.successors})
            if len(successors) == 1:
                return _(
                    "%(name)s là tên cũ trước 01/07/2025; đơn vị hiện nay là %(new)s.",
                    name=_quote(text), new=in_sentence(successors[0]),
                )
            if successors:
                return _(
                    "%(name)s là tên cũ trước 01/07/2025; đơn vị hiện nay là một trong: %(new)s.",
                    name=_quote(text), new="; ".join(successors),
                )
            return _("%(name)s là tên cũ trước 01/07/2025; hãy ghi tên đơn vị hiện nay.", name=_quote(text))
        district_base, prefix = _strip(folded, OLD_DISTRICT_PREFIXES)
        if district_base in districts:
            olds = districts[district_base]
            if prefix:  # "Thị xã An Khê" is the town, not a district of the same name elsewhere
                olds = [o for o in olds if _strip(key(o.name), OLD_DISTRICT_PREFIXES)[1] == prefix] or olds
            successors = sorted({name for old in olds for name in old.successors}, key=sort_key)
            if successors:
                return _(
                    "%(name)s là tên huyện, thị xã, thành phố cũ trước 01/07/2025 (cấp huyện không còn). "
                    "Địa bàn này nay thuộc các xã, phường: %(new)s. Hãy ghi tên một xã, phường trong số đó.",
                    name=_quote(text), new="; ".join(successors),
                )
            return _(
                "%(name)s là tên huyện, thị xã, thành phố cũ trước 01/07/2025 (cấp huyện không còn); "
                "hãy ghi tên xã, phường hiện nay.",
                name=_quote(text),
            )
        return None

    def _commune_suggestions(self, text) -> list[str]:
        base, _prefix = _strip(key(text), OLD_COMMUNE_PREFIXES + CURRENT_PREFIXES)
        return _suggest(base, {k: u.name for k, u in self.communes.items()})

    def _body_suggestions(self, text) -> list[str]:
        return _suggest(key(text), {k: u.name for k, u in self.bodies.items()})

    def commune(self, text) -> Found:
        """The commune or ward text names."""
        return self._remember("commune", text, self._find_commune)

    def body(self, text) -> Found:
        """The provincial body (sở, ban, ngành) text names, by name or code."""
        return self._remember("body", text, self._find_body)

    def unit(self, text) -> Found:
        """Any active unit: a commune or ward, or a provincial body."""
        return self._remember("unit", text, self._find_unit)

    def field(self, text) -> Found:
        """The active field of work text names."""
        return self._remember("field", text, self._find_field)

    def _find_commune(self, text) -> Found:
        if not str(text or "").strip():
            return Found(message=_("Thiếu tên xã, phường."))
        if unit := self._commune(text):
            return Found(unit)
        if self._body(text):
            return Found(message=_("%(name)s là cơ quan cấp tỉnh, không phải xã, phường.", name=_quote(text)))
        if old := self._old_name_message(text):
            return Found(message=old)
        message = _("Không có xã, phường %(name)s trong tỉnh.", name=_quote(text))
        return Found(message=_with_suggestions(message, self._commune_suggestions(text)))

    def _find_body(self, text) -> Found:
        if unit := self._body(text):
            return Found(unit)
        if self._commune(text):
            return Found(message=_("%(name)s là xã, phường, không phải cơ quan cấp tỉnh.", name=_quote(text)))
        message = _("Không có cơ quan cấp tỉnh %(name)s.", name=_quote(text))
        return Found(message=_with_suggestions(message, self._body_suggestions(text)))

    def _find_unit(self, text) -> Found:
        if unit := self._commune(text) or self._body(text):
            return Found(unit)
        if old := self._old_name_message(text):
            return Found(message=old)
        suggestions = self._body_suggestions(text) + self._commune_suggestions(text)
        message = _("Không có đơn vị %(name)s.", name=_quote(text))
        return Found(message=_with_suggestions(message, suggestions[:3]))

    # --- fields and meetings ---------------------------------------------------------------

    def _find_field(self, text) -> Found:
        if not str(text or "").strip():
            return Found(message=_("Thiếu lĩnh vực."))
        if item := self.fields.get(key(text)):
            return Found(item)
        message = _("Không có lĩnh vực %(name)s.", name=_quote(text))
        return Found(message=_with_suggestions(message, _suggest(key(text), {k: f.name for k, f in self.fields.items()})))

    def meeting(self, text, on: date | None) -> Found:
        """The meeting named by its title, or held on the date on (when text is a date)."""
        return self._remember("meeting", on.isoformat() if on else text, lambda _text: self._find_meeting(text, on))

    def _find_meeting(self, text, on: date | None) -> Found:
        if on is not None:
            held = [m for m in self.meetings if m.held_on == on]
            if len(held) == 1:
                return Found(held[0])
            day = on.strftime("%d/%m/%Y")
            if not held:
                return Found(message=_("Không có hội nghị nào ngày %(day)s.", day=day))
            return Found(message=_(
                "Ngày %(day)s có %(n)s hội nghị (%(titles)s); hãy ghi tên hội nghị.",
                day=day, n=len(held), titles="; ".join(m.title for m in held[:3]),
            ))
        wanted = key(text)
        matches = self.meeting_titles.get(wanted, [])
        if len(matches) == 1:
            return Found(matches[0])
        if matches:
            return Found(message=_(
                "Có %(n)s hội nghị cùng tên %(name)s; hãy ghi ngày họp (ngày/tháng/năm) thay cho tên.",
                n=len(matches), name=_quote(text),
            ))
        candidates = {key(m.title): f"{m.title} ({m.held_on:%d/%m/%Y})" for m in reversed(self.meetings)}
        message = _("Không có hội nghị %(name)s.", name=_quote(text))
        return Found(message=_with_suggestions(message, _suggest(wanted, candidates)))
