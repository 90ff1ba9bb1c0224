"""Read a conclusion notice (thông báo kết luận) into draft directives: pure rules, no database.

The text is split into its items (Roman-numeral sections, 1. 2., 1.1., a) b), and - or •
bullets); each leaf item becomes one draft. In each draft the parser finds, over the folded
text (no marks, đ -> d, abbreviations such as UBND read out) and the unit catalogue:

- the units: provincial bodies by name or short form, communes by name after "xã"/"phường"
  (either word, and a list "các xã A, B và C"), and the groups "các xã, phường" (every commune)
  and "các sở, ban, ngành" (every provincial body); "... liên quan" names nobody and is flagged;
- their roles, clause by clause: units at the head of a clause, or after "giao", "đề nghị",
  "yêu cầu", lead (chủ trì); units after "phối hợp (với)" support; units elsewhere (after
  "tham mưu", "hướng dẫn" ...) are the object of the sentence, only mentioned, never assigned;
  "X chủ trì" makes X lead wherever it stands;
- the deadline: "trước ngày 30/10/2025" (that day), "trong tháng 10/2025" (its last day),
  "trong quý IV/2025", "trong năm 2025", "6 tháng đầu năm 2026", "trong 15 ngày (làm việc)"
  (counted from the issue day by the caller), "thường xuyên" (ongoing, with a reporting period
  from "hằng tuần/tháng/quý", monthly when the notice says none);
- the field, by the words of the field names and their keywords.

A sub-item with no unit or deadline of its own takes its parent's ("3. Đối với các xã,
phường: a) ... b) ..."). What was not recognised is a flag on the draft, shown in the preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.conclusions.catalogue import (
    ALL_BODIES,
    ALL_COMMUNES,
    RELATED,
    RELATED_TAILS,
    Catalogue,
    Token,
    fold_char,
    tokens,
)

LEAD = "lead"
SUPPORT = "support"
MENTIONED = "mentioned"

# Flags: what the preview marks as not recognised or worth a look.
NO_LEAD = "no_lead"
NO_DEADLINE = "no_deadline"
NO_FIELD = "no_field"
RELATED_UNITS = "related_units"
UNKNOWN_UNIT = "unknown_unit"
SEVERAL_DEADLINES = "several_deadlines"
PAST_DEADLINE = "past_deadline"
BAD_DATE = "bad_date"
PERIOD_ASSUMED = "period_assumed"
EVALUATION = "evaluation"  # under a section that assesses, not one that assigns
INHERITED = "inherited"  # units or deadline taken from the parent item

DEFAULT_REPORTING_PERIOD = "monthly"
TITLE_LIMIT = 200

# Words that may stand between units of one list.
CONNECTORS = {
    "va", "cac", "cung", "voi", "chat", "che", "dang", "uy", "chinh", "quyen", "theo", "chuc", "nang",
    "nhiem", "vu", "duoc", "giao", "thuoc", "tinh", "cua", "lanh", "dao",
    # "Đảng ủy, UBND các xã", "HĐND, UBND xã A": the body of a unit that is itself the unit
    "ban", "nhan", "dan", "hoi", "dong",
}
# Words that may open a clause before its subject ("Giao", "Đề nghị", "Đối với", "Về").
LEAD_IN = {
    "giao", "cho", "de", "nghi", "yeu", "cau", "thong", "nhat", "dong", "y", "tiep", "tuc", "doi", "voi",
    "ve", "phia", "rieng", "chi", "dao", "can", "ban", "thuong", "vu", "tinh", "uy", "truc",
    "dang", "nhan", "dan", "hoi", "chinh", "quyen", "cac", "va", "chu", "dau", "tu",
}
TRIGGERS = (("giao",), ("de", "nghi"), ("yeu", "cau"))
# "giao thông", "giáo dục", "giao lưu" ... fold to "giao" too; they assign nothing.
_NOT_TRIGGERS = [[w] for w in ("thong", "duc", "luu", "dich", "nhan", "tiep", "ket", "khoan", "vien", "trinh", "an")]
SUPPORT_MARKERS = (("phoi", "hop"),)
LEAD_MARKERS = (("chu", "tri"),)

_ROMAN = re.compile(r"^([IVX]{1,5})[.)/]\s*(.*)$")
_NUMBER = re.compile(r"^(\d{1,2})[.)]\s+(.*)$")
_SUBNUMBER = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(.*)$")
_LETTER = re.compile(r"^([a-zđ])[).]\s+(.*)$")
_BULLET = re.compile(r"^[-–—•+*·]\s*(.+)$")
_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Folded-text rules for deadlines. Years may be missing: the notice's year is meant.
_YEAR = r"(?:\s*[/.-]\s*|\s+nam\s+)(\d{4})"
_DATE_NUMERIC = re.compile(
    r"\b(?:truoc|cham nhat(?: la)?(?: vao)?|han chot|han|den het|xong truoc|hoan thanh trong)\s+(?:ngay\s+)?"
    r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?"
)
_DATE_WORDS = re.compile(
    r"\b(?:truoc|cham nhat(?: la)?(?: vao)?|han chot|den het)\s+ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?"
)
_MONTH = re.compile(r"\b(?:trong|truoc het|den het|cuoi)\s+thang\s+(\d{1,2})(?:" + _YEAR + r")?\b")
_QUARTER = re.compile(r"\b(?:trong|truoc het|den het|cuoi)\s+quy\s+(iv|iii|ii|i|[1-4])(?:" + _YEAR + r")?\b")
_HALF = re.compile(r"\b(?:trong\s+)?6\s+thang\s+dau\s+nam\s+(\d{4})\b")
_YEAR_END = re.compile(r"\b(?:trong|truoc het|den het|cuoi)\s+nam\s+(\d{4})\b")
_DAYS = re.compile(r"\btrong\s+(?:vong\s+|thoi han\s+)?(\d{1,3})\s+ngay(\s+lam\s+viec)?")
_ONGOING = re.compile(r"\bthuong xuyen\b|\blau dai\b|\bhang nam\b")
_PERIODS = (
    (re.compile(r"\bhang tuan\b|\bdinh ky tuan\b"), "weekly"),
    (re.compile(r"\bhang thang\b|\bdinh ky thang\b|\btheo thang\b"), "monthly"),
    (re.compile(r"\bhang quy\b|\bdinh ky quy\b|\btheo quy\b"), "quarterly"),
)
_EVALUATION_HEADS = ("danh gia", "ket qua", "tinh hinh", "nhung ket qua", "mot so ket qua")
# Collegial bodies, not units that carry out work: never flagged as missing from the catalogue.
_COLLEGIAL = ("ban thuong vu", "ban chap hanh", "ban chi dao", "ban bi thu", "ban thuong truc", "ban can su")
_CLOSING = re.compile(r"^(noi nhan|.*thong bao de .*biet|.*thong bao y kien ket luan .*de .*biet)")
_CAP = "[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ]"
# A unit-like name: "Sở" etc. and compounds of a capitalised syllable and at most one more
# ("Kế hoạch", "Đầu tư"), joined by "và", "," or "-": "Sở Kế hoạch và Đầu tư".
_COMPOUND = rf"{_CAP}[\w&]*(?:\s+[a-zđ\u00E0-\u1EF9][\w]*)?"
_UNKNOWN = re.compile(rf"\b(Sở|Ban|Xã|xã|Phường|phường)\s+({_COMPOUND}(?:\s*(?:và|,|-)\s*{_COMPOUND})*)")
_NOTICE_NUMBER = re.compile(r"Số[:\s]+(\d+[-/][\w/-]+)")
_SIGNED = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


@dataclass
class Mention:
    start: int  # span in the text it was found in
    end: int
    target: int | str | None  # a unit id, a group, or None (a name two units share)
    role: str = MENTIONED
    token_start: int = 0
    token_end: int = 0


@dataclass
class Deadline:
    kind: str  # "date", "days", "ongoing"
    start: int
    end: int
    day: date | None = None
    days: int | None = None
    working: bool = False
    reporting_period: str | None = None


@dataclass
class Draft:
    number: str  # "II.3.a", as the notice numbers it
    text: str
    context: str = ""  # the parent items' own text, from the top
    mentions: list[Mention] = field(default_factory=list)
    context_mentions: list[Mention] = field(default_factory=list)
    deadline: Deadline | None = None
    deadline_in_context: bool = False
    field_id: int | None = None
    flags: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    lead_ids: list[int] = field(default_factory=list)
    support_ids: list[int] = field(default_factory=list)

    @property
    def include(self) -> bool:
        return EVALUATION not in self.flags

    @property
    def title(self) -> str:
        """The trích yếu: the item's first sentence (after a heading line in capitals), cut at a word."""
        lines = self.text.split("\n")
        if len(lines) > 1 and lines[0].isupper():
            lines = lines[1:]
        first = re.split(r"(?<=[.;])\s", " ".join(" ".join(lines).split()), maxsplit=1)[0].rstrip(".;")
        if len(first) <= TITLE_LIMIT:
            return first
        cut = first[:TITLE_LIMIT].rsplit(" ", 1)[0]
        return cut + "…"

    @property
    def content(self) -> str:
        return f"{self.context}\n{self.text}" if self.context else self.text


@dataclass
class ParsedNotice:
    number: str | None
    signed_on: date | None
    drafts: list[Draft]


@dataclass
class _Node:
    level: int
    label: str
    text: str
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    evaluation: bool = False
    ordinal: int = 0

    def path(self) -> list[_Node]:
        node, result = self, []
        while node is not None and node.level >= 0:
            result.append(node)
            node = node.parent
        return result[::-1]


def parse(text: str, catalogue: Catalogue, *, today: date) -> ParsedNotice:
    """The notice's number, date and draft directives, one per leaf item."""
    number_match = _NOTICE_NUMBER.search(text)
    signed_on = _signed_on(text)
    base_day = signed_on or today
    drafts = []
    for node in _leaves(_split(text)):
        # a section's heading alone ("II. NHIỆM VỤ THỜI GIAN TỚI") says nothing the directive needs
        ancestors = [a for a in node.path()[:-1] if a.text and not (a.level == 0 and "\n" not in a.text)]
        context = "\n".join(a.text for a in ancestors)
        draft = Draft(number=_number(node), text=node.text, context=context)
        if any(a.evaluation for a in node.path()):
            draft.flags.append(EVALUATION)
        _read(draft, catalogue, base_day, today)
        drafts.append(draft)
    return ParsedNotice(number_match.group(1) if number_match else None, signed_on, drafts)


def _signed_on(text: str) -> date | None:
    match = _SIGNED.search(text)
    if not match:
        return None
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


# ----- splitting into items ---------------------------------------------------------------


def _split(text: str) -> _Node:
    """The tree of items: sections (0), numbers (1), sub-numbers and letters (2), bullets (3)."""
    root = _Node(-1, "", "")
    current = root
    started = False
    last: dict[int, int] = {}  # level -> the last ordinal seen under the current parent
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        folded = "".join(fold_char(c) for c in line)
        if started and _CLOSING.match(folded):
            break
        marker = _marker(line, current, last)
        if marker is None:
            if started and current is not root:
                current.text = f"{current.text}\n{line}" if current.text else line
            continue
        level, label, ordinal, body = marker
        started = True
        parent = current
        while parent is not root and parent.level >= level:
            parent = parent.parent
        node = _Node(level, label, body, parent, ordinal=ordinal)
        if level == 0:
            node.evaluation = "".join(fold_char(c) for c in body).startswith(_EVALUATION_HEADS)
        parent.children.append(node)
        current = node
        last[level] = ordinal
        for deeper in [k for k in last if k > level]:
            del last[deeper]
    return root


def _marker(line: str, current: _Node, last: dict[int, int]):
    """(level, label, ordinal, body) when line opens an item; numbers must follow in order
    (a line of a PDF that happens to start with "15." is not item 15 after item 3)."""
    if match := _ROMAN.match(line):
        value = _ROMAN_VALUES.get(match.group(1))
        if value and value == last.get(0, 0) + 1:
            return 0, match.group(1), value, match.group(2)
    if match := _SUBNUMBER.match(line):
        major, minor = int(match.group(1)), int(match.group(2))
        if major == last.get(1) and minor == last.get(2, 0) + 1:
            return 2, f"{major}.{minor}", minor, match.group(3)
    if match := _NUMBER.match(line):
        value = int(match.group(1))
        if value == last.get(1, 0) + 1 or (value == 1 and 1 not in last):
            return 1, str(value), value, match.group(2)
    if match := _LETTER.match(line):
        value = _LETTERS.find(match.group(1)) + 1
        if value and value == last.get(2, 0) + 1:
            return 2, match.group(1), value, match.group(2)
    if match := _BULLET.match(line):
        return 3, "", last.get(3, 0) + 1, match.group(1)
    return None


def _leaves(node: _Node):
    for child in node.children:
        if child.children:
            yield from _leaves(child)
        else:
            yield child


def _number(node: _Node) -> str:
    parts = []
    for step in node.path():
        if step.level == 3:
            parts.append(f"-{step.ordinal}")
        elif step.level == 2 and "." in step.label:
            parts = [p for p in parts if p != step.label.split(".")[0]]
            parts.append(step.label)
        else:
            parts.append(step.label)
    return ".".join(parts)


# ----- reading one item -------------------------------------------------------------------


def _read(draft: Draft, catalogue: Catalogue, base_day: date, today: date) -> None:
    own_tokens = tokens(draft.text)
    draft.mentions = _mentions(own_tokens, catalogue)
    _roles(own_tokens, draft.mentions)
    leads, supports = _assigned(draft.mentions, catalogue)
    if draft.context:
        context_tokens = tokens(draft.context)
        draft.context_mentions = _mentions(context_tokens, catalogue)
        _roles(context_tokens, draft.context_mentions)
        if not leads:
            context_leads, context_supports = _assigned(draft.context_mentions, catalogue)
            if context_leads:
                leads, supports = context_leads, supports or context_supports
                draft.flags.append(INHERITED)
    draft.lead_ids = leads
    draft.support_ids = [u for u in supports if u not in leads]
    if not leads:
        draft.flags.append(NO_LEAD)
    if any(m.target == RELATED for m in draft.mentions + draft.context_mentions):
        draft.flags.append(RELATED_UNITS)
    draft.unknown = _unknown_names(draft.text, draft.mentions)
    if draft.unknown:
        draft.flags.append(UNKNOWN_UNIT)

    deadline, flags = find_deadline(draft.text, base_day)
    if deadline is None and draft.context:
        deadline, flags = find_deadline(draft.context, base_day)
        draft.deadline_in_context = deadline is not None
    draft.deadline = deadline
    draft.flags.extend(flags)
    if deadline is None:
        draft.flags.append(NO_DEADLINE)
    elif deadline.kind == "date" and deadline.day < today:
        draft.flags.append(PAST_DEADLINE)

    # unit names say nothing of the field: "Sở Y tế" is not a sign of the field "Y tế"
    words = _outside(own_tokens, draft.mentions)
    if draft.context:
        words += _outside(tokens(draft.context), draft.context_mentions)
    draft.field_id = find_field(words, catalogue)
    if draft.field_id is None:
        draft.flags.append(NO_FIELD)


def _outside(toks: list[Token], mentions: list[Mention]) -> list[Token]:
    inside = {i for m in mentions for i in range(m.token_start, m.token_end)}
    return [t for i, t in enumerate(toks) if i not in inside]


def _mentions(toks: list[Token], catalogue: Catalogue) -> list[Mention]:
    """Longest catalogue match at each word; after a commune, bare names continue the list."""
    found: list[Mention] = []
    words = [t.word for t in toks]
    i = 0
    commune_list = False
    while i < len(toks):
        if toks[i].boundary:
            commune_list = False
        match = _longest(words, i, catalogue.patterns)
        if match is None and commune_list:
            match = _longest(words, i, catalogue.bare_communes)
        if match is None:
            if words[i] not in ("va", "cac"):
                commune_list = False
            i += 1
            continue
        length, target = match
        end = i + length
        if target in (ALL_BODIES, ALL_COMMUNES):
            for tail in RELATED_TAILS:
                if tuple(words[end:end + len(tail)]) == tail:
                    target, end = RELATED, end + len(tail)
                    break
        found.append(Mention(toks[i].start, toks[end - 1].end, target, token_start=i, token_end=end))
        commune_list = isinstance(target, int) and catalogue.by_id[target].is_commune
        i = end
    return found


def _longest(words: list[str], i: int, table) -> tuple[int, int | str | None] | None:
    for pattern, target in table.get(words[i], ()):
        if tuple(words[i:i + len(pattern)]) == pattern:
            return len(pattern), target
    return None


def _at(words: list[str], i: int, phrases) -> int:
    """Length of the phrase of phrases that starts at word i, or 0."""
    for phrase in phrases:
        if tuple(words[i:i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _roles(toks: list[Token], mentions: list[Mention]) -> None:
    """Give each mention its role, walking each clause word by word (see the module's docstring)."""
    by_start = {m.token_start: m for m in mentions}
    words = [t.word for t in toks]
    mode = "start"
    run: list[Mention] = []  # the units of the list being read
    i = 0
    while i < len(toks):
        if toks[i].boundary:
            mode, run = "start", []
        mention = by_start.get(i)
        if mention is not None:
            if mode in ("start", "trigger", LEAD):
                mention.role, mode = LEAD, LEAD
            elif mode == SUPPORT:
                mention.role = SUPPORT
            else:
                mention.role, mode = MENTIONED, MENTIONED
            run.append(mention)
            i = mention.token_end
            continue
        if n := _at(words, i, LEAD_MARKERS):
            for earlier in run:  # "..., trong đó Sở Tài chính chủ trì": the list before leads
                earlier.role = LEAD
            mode, run = "after_lead", []
            i += n
            continue
        if n := _at(words, i, SUPPORT_MARKERS):
            mode, run = SUPPORT, []
            i += n
            continue
        if (n := _at(words, i, TRIGGERS)) and words[i + n:i + n + 1] not in _NOT_TRIGGERS:
            mode, run = "trigger", []
            i += n
            continue
        word = words[i]
        in_list = word in CONNECTORS and mode in (LEAD, SUPPORT, MENTIONED, "trigger")
        if not in_list and not (mode == "start" and word in LEAD_IN):
            mode, run = "none", []
        i += 1


def _assigned(mentions: list[Mention], catalogue: Catalogue) -> tuple[list[int], list[int]]:
    leads: list[int] = []
    supports: list[int] = []
    for mention in mentions:
        if mention.role not in (LEAD, SUPPORT) or mention.target in (None, RELATED):
            continue
        ids = (
            catalogue.commune_ids if mention.target == ALL_COMMUNES
            else catalogue.body_ids if mention.target == ALL_BODIES
            else [mention.target]
        )
        (leads if mention.role == LEAD else supports).extend(ids)
    return list(dict.fromkeys(leads)), list(dict.fromkeys(supports))


def _unknown_names(text: str, mentions: list[Mention]) -> list[str]:
    """Names that look like a unit ("Sở Kế hoạch và Đầu tư") but match none in the catalogue."""
    result = []
    for match in _UNKNOWN.finditer(text):
        if any(m.start <= match.start() < m.end for m in mentions):
            continue
        name = match.group(0).strip()
        if match.group(1) == "Ban" and (len(name.split()) < 3 or "".join(map(fold_char, name)).startswith(_COLLEGIAL)):
            continue
        result.append(name)
    return list(dict.fromkeys(result))


def _folded(text: str) -> tuple[str, list[int]]:
    chars, origin = [], []
    for index, ch in enumerate(text):
        for out in fold_char(ch):
            chars.append(out)
            origin.append(index)
    return "".join(chars), origin


def find_deadline(text: str, base_day: date) -> tuple[Deadline | None, list[str]]:
    """The deadline the text sets (the latest when it sets several), and flags."""
    folded, origin = _folded(text)
    flags: list[str] = []
    found: list[Deadline] = []

    def span(match):
        return origin[match.start()], origin[match.end() - 1] + 1

    def dated(match, day):
        start, end = span(match)
        found.append(Deadline("date", start, end, day=day))

    for pattern in (_DATE_NUMERIC, _DATE_WORDS):
        for match in pattern.finditer(folded):
            day = _make_date(match.group(3), match.group(2), match.group(1), base_day)
            if day is None:
                flags.append(BAD_DATE)
            else:
                dated(match, day)
    for match in _MONTH.finditer(folded):
        month = int(match.group(1))
        year = int(match.group(2)) if match.group(2) else base_day.year
        if 1 <= month <= 12:
            dated(match, _month_end(year, month))
        else:
            flags.append(BAD_DATE)
    for match in _QUARTER.finditer(folded):
        quarter = _QUARTERS[match.group(1)]
        year = int(match.group(2)) if match.group(2) else base_day.year
        dated(match, _month_end(year, quarter * 3))
    for match in _HALF.finditer(folded):
        dated(match, date(int(match.group(1)), 6, 30))
    for match in _YEAR_END.finditer(folded):
        dated(match, date(int(match.group(1)), 12, 31))
    if found:
        if len({d.day for d in found}) > 1:
            flags.append(SEVERAL_DEADLINES)
        return max(found, key=lambda d: (d.day, -d.start)), flags
    if match := _DAYS.search(folded):
        start, end = span(match)
        days = int(match.group(1))
        if 1 <= days <= 365:
            return Deadline("days", start, end, days=days, working=bool(match.group(2))), flags
    if match := _ONGOING.search(folded):
        start, end = span(match)
        period = next((value for pattern, value in _PERIODS if pattern.search(folded)), None)
        if period is None:
            flags.append(PERIOD_ASSUMED)
        return Deadline("ongoing", start, end, reporting_period=period or DEFAULT_REPORTING_PERIOD), flags
    return None, flags


def _make_date(year: str | None, month: str, day: str, base_day: date) -> date | None:
    try:
        if year:
            return date(int(year), int(month), int(day))
        result = date(base_day.year, int(month), int(day))
        # "trước ngày 15/01" in a notice of December means next January
        return result if result >= base_day else date(base_day.year + 1, int(month), int(day))
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def find_field(toks: list[Token], catalogue: Catalogue) -> int | None:
    """The field whose name parts and keywords the text uses most (words matched); None on
    no match or a tie."""
    words = [t.word for t in toks]
    text = " " + " ".join(words) + " "
    scores = []
    for entry, phrases in catalogue.field_phrases():
        score = sum(weight for p, weight in phrases if f" {' '.join(p)} " in text)
        if score:
            scores.append((score, entry.id))
    if not scores:
        return None
    scores.sort(reverse=True)
    if len(scores) > 1 and scores[0][0] == scores[1][0]:
        return None
    return scores[0][1]


def spans(text: str, catalogue: Catalogue, base_day: date) -> list[tuple[int, int, str]]:
    """What the preview highlights in text: (start, end, kind), kind a role, "deadline" or
    "unknown"; in order, never overlapping."""
    toks = tokens(text)
    mentions = _mentions(toks, catalogue)
    _roles(toks, mentions)
    found = [(m.start, m.end, RELATED if m.target in (RELATED, None) else m.role) for m in mentions]
    deadline, _flags = find_deadline(text, base_day)
    if deadline is not None:
        found.append((deadline.start, deadline.end, "deadline"))
    for name in _unknown_names(text, mentions):
        index = text.find(name)
        if index >= 0:
            found.append((index, index + len(name), "unknown"))
    found.sort()
    result: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if result and start < result[-1][1]:
            continue
        result.append((start, end, kind))
    return result


def units_named(text: str, catalogue: Catalogue) -> list[int]:
    """The units a typed name points to ("Sở NN&MT", "xã Ia Grai", "các xã, phường"), by the
    same rules as the notice; a commune's name alone works too."""
    toks = tokens(text)
    words = [t.word for t in toks]
    mentions = _mentions(toks, catalogue)
    if not mentions and words:
        match = _longest(words, 0, catalogue.bare_communes)
        if match and match[0] == len(words) and isinstance(match[1], int):
            return [match[1]]
    for mention in mentions:
        mention.role = LEAD
    return _assigned(mentions, catalogue)[0]


def read_item(text: str, catalogue: Catalogue, *, today: date, number: str = "") -> Draft:
    """One item read alone (the preview's "read again" after the text was corrected)."""
    draft = Draft(number=number, text=text)
    _read(draft, catalogue, today, today)
    return draft
