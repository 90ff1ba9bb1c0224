"""What the notice parser matches against: units and fields as plain values, and their names
as folded word sequences (full names, common short forms, abbreviations).

Pure: built from plain values (services.catalogue() reads them from the database), so the
parser and its tests need no database. Every rule here is one a clerk can check by hand.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from app.models import COMMUNE_KINDS, PROVINCIAL_KINDS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Pattern targets that are not one unit.
ALL_COMMUNES = "all_communes"
ALL_BODIES = "all_bodies"
RELATED = "related"  # "các sở, ngành liên quan": someone must pick which ones

# Abbreviations written in notices, read as the words they stand for, in text and in names alike.
EXPANSIONS = {
    "ubnd": ("uy", "ban", "nhan", "dan"),
    "hdnd": ("hoi", "dong", "nhan", "dan"),
    "mttq": ("mat", "tran", "to", "quoc"),
    "ubmttq": ("uy", "ban", "mat", "tran", "to", "quoc"),
    "dbqh": ("dai", "bieu", "quoc", "hoi"),
    "vp": ("van", "phong"),
    "bch": ("ban", "chap", "hanh"),
    "bchqs": ("bo", "chi", "huy", "quan", "su"),
    "ubkt": ("uy", "ban", "kiem", "tra"),
    "&": ("va",),
}
COMMUNE_PREFIXES = (("xa",), ("phuong",), ("dac", "khu"))
# Group phrases, as folded words (punctuation dropped): "các xã, phường" is ("cac", "xa", "phuong").
GROUPS = {
    ALL_COMMUNES: [
        "cac xa phuong", "cac xa phuong dac khu", "135 xa phuong", "cac xa phuong trong tinh",
        "cac dia phuong cap xa", "cac xa phuong tren dia ban tinh",
    ],
    ALL_BODIES: [
        "cac so ban nganh", "cac so ban nganh tinh", "cac so nganh", "cac so ban nganh cua tinh",
        "cac nganh cua tinh", "cac co quan don vi cap tinh", "cac so ban nganh doan the tinh",
        "cac so ban nganh doan the", "cac co quan chuyen mon thuoc uy ban nhan dan tinh",
    ],
    RELATED: [
        "cac co quan don vi lien quan", "cac co quan don vi co lien quan", "cac don vi lien quan",
        "cac don vi co lien quan", "cac co quan lien quan", "cac co quan co lien quan",
        "cac dia phuong lien quan", "cac dia phuong co lien quan", "cac co quan don vi dia phuong lien quan",
        "cac co quan don vi dia phuong co lien quan",
    ],
}
# After a group, these words narrow it to "the ones concerned": no longer every unit.
# So do qualifiers that pick some of them ("các xã, phường biên giới").
RELATED_TAILS = (
    ("lien", "quan"), ("co", "lien", "quan"), ("bien", "gioi"), ("trong", "diem"), ("vung", "sau"),
    ("kho", "khan"), ("con", "thieu"), ("chua",), ("co", "du", "an"), ("duoc", "chon"),
)
# A body's name without its level ("Ban Tổ chức" for "Ban Tổ chức Tỉnh ủy") is a short form
# only when this many words remain: "Văn phòng" or "Thanh tra" alone name nobody.
SHORT_FORM_MIN_WORDS = 3
_LEVEL_SUFFIXES = (("tinh", "uy"), ("tinh",))

_TOKEN = re.compile(r"[a-z0-9]+|&")


def fold_char(ch: str) -> str:
    """One character folded as app.text.fold folds (lower case, no marks, đ -> d)."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


@dataclass(frozen=True)
class Token:
    word: str
    start: int  # span in the original text
    end: int
    boundary: bool = False  # a clause ends before this token (. ; : or a line break)


def tokens(text: str) -> list[Token]:
    """The folded words of text with their spans in text, abbreviations expanded."""
    folded: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        for out in fold_char(ch):
            folded.append(out)
            origin.append(index)
    flat = "".join(folded)
    result: list[Token] = []
    last_end = 0
    for match in _TOKEN.finditer(flat):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        gap = flat[last_end:match.start()]
        boundary = bool(result) and bool(re.search(r"[.;:!?]\s|[.;:!?]$|\n", gap))
        last_end = match.end()
        word = match.group()
        for n, part in enumerate(EXPANSIONS.get(word, (word,))):
            result.append(Token(part, start, end, boundary and n == 0))
    return result


def words(text: str) -> tuple[str, ...]:
    return tuple(t.word for t in tokens(text))


@dataclass(frozen=True)
class UnitEntry:
    id: int
    code: str
    name: str
    kind: str

    @property
    def is_commune(self) -> bool:
        return self.kind in COMMUNE_KINDS


@dataclass(frozen=True)
class FieldEntry:
    id: int
    name: str


@dataclass
class Catalogue:
    """Units and fields, and the word patterns that find them."""

    units: list[UnitEntry]
    fields: list[FieldEntry] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # unit code -> extra names
    field_keywords: dict[str, list[str]] = field(default_factory=dict)  # field name -> keywords

    def __post_init__(self):
        self.by_id = {u.id: u for u in self.units}
        self.commune_ids = [u.id for u in self.units if u.is_commune]
        self.body_ids = [u.id for u in self.units if u.kind in PROVINCIAL_KINDS]
        # first word -> [(words, target)], longest first; target a unit id or a group name
        self.patterns: dict[str, list[tuple[tuple[str, ...], int | str]]] = {}
        self.bare_communes: dict[str, list[tuple[tuple[str, ...], int | str]]] = {}
        self._build()

    def _add(self, table, pattern: tuple[str, ...], target) -> None:
        if not pattern:
            return
        entries = table.setdefault(pattern[0], [])
        for index, (existing, existing_target) in enumerate(entries):
            if existing == pattern:
                if existing_target != target:  # two units answer to one name: it names neither
                    entries[index] = (existing, None)
                return
        entries.append((pattern, target))

    def _build(self) -> None:
        for unit in self.units:
            name = words(unit.name)
            if unit.is_commune:
                bare = _strip_prefix(name)
                self._add(self.bare_communes, bare, unit.id)
                for prefix in COMMUNE_PREFIXES:
                    self._add(self.patterns, prefix + bare, unit.id)
                continue
            self._add(self.patterns, name, unit.id)
            for suffix in _LEVEL_SUFFIXES:
                if name[-len(suffix):] == suffix and len(name) - len(suffix) >= SHORT_FORM_MIN_WORDS:
                    self._add(self.patterns, name[: -len(suffix)], unit.id)
            for short in _acronyms(name):
                self._add(self.patterns, short, unit.id)
            for alias in self.aliases.get(unit.code, []):
                self._add(self.patterns, words(alias), unit.id)
        for target, phrases in GROUPS.items():
            for phrase in phrases:
                self._add(self.patterns, tuple(phrase.split()), target)
        for table in (self.patterns, self.bare_communes):
            for entries in table.values():
                entries.sort(key=lambda entry: -len(entry[0]))

    def field_phrases(self) -> list[tuple[FieldEntry, list[tuple[tuple[str, ...], int]]]]:
        """Each field with the word sequences that point to it and their weight: the parts of
        its name count twice their words, its keywords once."""
        result = []
        for entry in self.fields:
            parts = [words(p) for p in re.split(r"[,;()/]| - | và ", entry.name)]
            keywords = [words(k) for k in self.field_keywords.get(entry.name, [])]
            weighted = {p: 2 * len(p) for p in keywords if p} | {p: 2 * len(p) for p in parts if p}
            for p in keywords:
                if p and p not in parts:
                    weighted[p] = len(p)
            result.append((entry, list(weighted.items())))
        return result


def _strip_prefix(name: tuple[str, ...]) -> tuple[str, ...]:
    for prefix in COMMUNE_PREFIXES:
        if name[: len(prefix)] == prefix and len(name) > len(prefix):
            return name[len(prefix):]
    return name


def _acronyms(name: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Short forms of "Sở Nông nghiệp và Môi trường": "Sở NN&MT", "Sở NNMT" (the initials of
    each word, grouped as the name groups them by "và"); only for names of two groups or more."""
    if len(name) < 3 or name[0] != "so":
        return []
    groups: list[list[str]] = [[]]
    for word in name[1:]:
        if word == "va":
            groups.append([])
        else:
            groups[-1].append(word)
    initials = ["".join(w[0] for w in group) for group in groups if group]
    if len(initials) < 2:
        return []
    return [("so", "".join(initials)), ("so", *initials[:-1], "va", initials[-1]), ("so", *initials)]


def load_aliases() -> dict[str, list[str]]:
    """Extra names of provincial bodies (app/data/unit_aliases.csv), by unit code."""
    result: dict[str, list[str]] = {}
    with (DATA_DIR / "unit_aliases.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            result.setdefault(row["code"], []).append(row["alias"])
    return result


def load_field_keywords() -> dict[str, list[str]]:
    """Words that point to a field, by the field's name (app/data/field_keywords.csv)."""
    result: dict[str, list[str]] = {}
    with (DATA_DIR / "field_keywords.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            result[unicodedata.normalize("NFC", row["field"])] = [k.strip() for k in row["keywords"].split(";") if k.strip()]
    return result


def from_reference_data(province_code: int = 52) -> Catalogue:
    """The catalogue the reference loader would put in a fresh database (ids in file order):
    for the benchmark and the tests, which need no database."""
    from vietnam_provinces import Ward

    path = DATA_DIR / f"provincial_bodies_{province_code}.csv"
    units: list[UnitEntry] = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            units.append(UnitEntry(len(units) + 1, row["code"], unicodedata.normalize("NFC", row["name"]), row["kind"]))
    kinds = {"XA": "xa", "PHUONG": "phuong", "DAC_KHU": "dac_khu"}
    for ward in Ward.iter_all():
        if int(ward.province_code) == province_code:
            name = unicodedata.normalize("NFC", ward.name)
            units.append(UnitEntry(len(units) + 1, str(int(ward.code)), name, kinds[ward.division_type.name]))
    fields: list[FieldEntry] = []
    with (DATA_DIR / "fields.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            fields.append(FieldEntry(len(fields) + 1, unicodedata.normalize("NFC", row["name"])))
    return Catalogue(units, fields, load_aliases(), load_field_keywords())
