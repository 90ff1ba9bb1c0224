"""Each unit's printed header: data on the unit (units.doc_*), seeded by `flask setup`, edited
by admins; defaults by kind where a unit has none yet (one an admin just added).

Nghị định 30/2020/NĐ-CP (state bodies): the superior body on the first line (none for the
UBND of a province or a commune), the issuing body in bold under it, the number "Số: …/BC-ABBR".
Hướng dẫn 36-HD/VPTW (Party): the Tỉnh ủy is "ĐẢNG BỘ TỈNH … / TỈNH ỦY", its advisory bodies
"TỈNH ỦY … / VĂN PHÒNG" with their own symbol ("Số …-BC/VPTU"), a "*" under the name.
"""

from __future__ import annotations

from dataclasses import dataclass

from vietnam_provinces import Province

from app.models import PARTY_LAYOUT, STATE_LAYOUT, Unit

LINE_BREAK = "|"  # between printed lines in the shipped CSV


@dataclass(frozen=True)
class UnitHeader:
    """What a unit prints as the issuing body of a document."""

    superior: str  # "" when the body has none printed above it
    name_lines: tuple[str, ...]  # ("ỦY BAN NHÂN DÂN", "XÃ IA BOÒNG")
    abbr: str  # "VPUBND": the number symbol's body part
    place: str  # "Gia Lai": the date line's place name
    signer: tuple[str, ...]  # ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    party: bool  # Party layout (HD 36) instead of the state layout (ND 30)


def province_name(code: int) -> str:
    return Province.from_code(code).name


def place_name(commune_name: str) -> str:
    """"Ia Boòng" for "Xã Ia Boòng": a commune dates its documents with its own name (ND 30,
    Phụ lục I); a ward named by a number keeps the word ("Phường 1")."""
    for prefix in ("Đặc khu ", "Phường ", "Xã "):
        if commune_name.startswith(prefix):
            rest = commune_name[len(prefix):]
            return commune_name if rest[:1].isdigit() else rest
    return commune_name


def _upper(text: str) -> str:
    return text.upper()


# Default signer title and number symbol by the start of a body's name, for a body an admin adds
# before filling its header (the shipped bodies carry their own).
_SIGNERS = (
    ("Văn phòng", "CHÁNH VĂN PHÒNG"), ("Ủy ban Kiểm tra", "CHỦ NHIỆM"), ("Ủy ban MTTQ", "CHỦ TỊCH"),
    ("Ban", "TRƯỞNG BAN"), ("Sở", "GIÁM ĐỐC"), ("Công an", "GIÁM ĐỐC"), ("Thanh tra", "CHÁNH THANH TRA"),
    ("Bộ Chỉ huy", "CHỈ HUY TRƯỞNG"),
)


def default_values(unit: Unit, province_code: int) -> dict[str, str]:
    """Header data for a unit that has none: what `flask setup` stores for a commune and what an
    admin starts from for a new body."""
    province = province_name(province_code)
    if unit.is_commune:
        return {
            "doc_superior": "", "doc_name": f"ỦY BAN NHÂN DÂN\n{_upper(unit.name)}", "doc_abbr": "UBND",
            "doc_place": place_name(unit.name), "doc_signer": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
            "doc_layout": STATE_LAYOUT, "doc_drafts_for": "",
        }
    party = unit.kind == "party_body"
    name = _upper(unit.name)
    superior = f"UBND TỈNH {_upper(province)}"
    if party:
        superior = f"TỈNH ỦY {_upper(province)}"
        for suffix in (" TỈNH ỦY", " TỈNH"):
            name = name.removesuffix(suffix)
    signer = next((title for prefix, title in _SIGNERS if unit.name.startswith(prefix)), "THỦ TRƯỞNG CƠ QUAN")
    return {
        "doc_superior": superior, "doc_name": name, "doc_abbr": unit.code.replace("-", ""),
        "doc_place": province, "doc_signer": signer, "doc_layout": PARTY_LAYOUT if party else STATE_LAYOUT,
        "doc_drafts_for": "",
    }


def from_csv(row: dict[str, str], province_code: int) -> dict[str, str]:
    """A body's header columns from a row of provincial_bodies*.csv ({P}, {p}: the province)."""
    province = province_name(province_code)

    def value(key: str) -> str:
        text = (row.get(key) or "").strip().replace("{P}", _upper(province)).replace("{p}", province)
        return text.replace(LINE_BREAK, "\n")

    return {
        "doc_superior": value("superior"), "doc_name": value("header_name"), "doc_abbr": value("abbr"),
        "doc_place": value("place"), "doc_signer": value("signer"),
        "doc_layout": value("layout") or STATE_LAYOUT, "doc_drafts_for": value("drafts_for"),
    }


def fill_missing(unit: Unit, values: dict[str, str]) -> bool:
    """Store values in the header columns the unit has none in (an admin's edits stay)."""
    changed = False
    for column, value in values.items():
        if getattr(unit, column) is None:
            setattr(unit, column, value)
            changed = True
    return changed


def header_of(unit: Unit, province_code: int) -> UnitHeader:
    """The unit's printed header: its stored data, defaults where a column is empty."""
    defaults = default_values(unit, province_code)

    def get(column: str) -> str:
        stored = getattr(unit, column)
        return defaults[column] if stored is None else stored

    def lines(text: str) -> tuple[str, ...]:
        return tuple(line.strip() for line in text.splitlines() if line.strip())

    return UnitHeader(
        superior=get("doc_superior").strip(),
        name_lines=lines(get("doc_name")) or (_upper(unit.name),),
        abbr=get("doc_abbr").strip() or unit.code,
        place=get("doc_place").strip() or province_name(province_code),
        signer=lines(get("doc_signer")) or ("THỦ TRƯỞNG CƠ QUAN",),
        party=get("doc_layout") == PARTY_LAYOUT,
    )
