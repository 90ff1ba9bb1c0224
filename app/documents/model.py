"""An official report as data, rendered the same way to HTML (print, PDF) and Word.

Layout rules: Nghị định 30/2020/NĐ-CP for state bodies, Hướng dẫn 36-HD/VPTW for Party
bodies. A report is built once from the data and handed to each renderer, so the printed
page, the PDF and the .docx always say the same thing.
"""

from dataclasses import dataclass, field
from datetime import date

from vietnam_provinces import Province

from app.formatting import format_document_date

# Fixed wording of the legal layouts (ND 30/2020, HD 36-HD/VPTW): part of the document
# format, not of the interface, so it is not translated.
STATE_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PARTY_MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
RECIPIENTS_LABEL = "Nơi nhận:"


@dataclass(frozen=True)
class Header:
    """The header block: who issues the document, its number and the place-and-date line."""

    party: bool  # Party layout (HD 36) instead of the state layout (ND 30)
    parent_body: str  # "ĐẢNG BỘ TỈNH GIA LAI" / "UBND TỈNH GIA LAI"
    issuing_body: str  # upper case, bold
    number_line: str  # "Số:      /BC-SNV" or "Số      -BC/TU"
    place_date: str  # "Gia Lai, ngày 05 tháng 01 năm 2026"
    national_lines: tuple[str, ...]  # right-hand block


@dataclass(frozen=True)
class GroupRow:
    """A row spanning the whole table that heads the rows under it ("I. Giao thông (3)")."""

    text: str
    is_group: bool = True


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str] | GroupRow]
    widths_mm: list[float]  # one per column; Word and LibreOffice then agree
    total_row: list[str] | None = None
    numeric: set[int] = field(default_factory=set)  # right-aligned column indexes


@dataclass
class Section:
    heading: str  # "1. Tình hình tiếp nhận" — numbered by the builder
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    after: list[str] = field(default_factory=list)


@dataclass
class Report:
    header: Header
    title: str  # "BÁO CÁO"
    subject: str  # centred, bold, under the title
    sections: list[Section]
    recipients: list[str]  # "Nơi nhận:" lines
    signer_title: str  # may hold several lines ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
    signer_name: str = ""
    intro: list[str] = field(default_factory=list)
    landscape_tables: bool = False


def province_display_name(code: int) -> str:
    """'Gia Lai' for 52: the name used in headers and the date line."""
    return Province.from_code(code).name


def build_header(issuing_unit, province_code: int, on: date, kind: str = "BC") -> Header:
    """Header for a document issued by issuing_unit (a Party or state body)."""
    province = province_display_name(province_code)
    province_upper = province.upper()
    place_date = f"{province}, {format_document_date(on)}"
    name = (issuing_unit.name if issuing_unit else "Văn phòng UBND tỉnh").upper()
    code = issuing_unit.code if issuing_unit else "VP"
    if issuing_unit is not None and issuing_unit.is_commune:
        # A commune reports as its People's Committee: "ỦY BAN NHÂN DÂN / XÃ IA BOÒNG".
        return Header(
            party=False,
            parent_body="",
            issuing_body=f"ỦY BAN NHÂN DÂN\n{name}",
            number_line=f"Số:       /{kind}-UBND",
            place_date=f"{_place_name(issuing_unit.name)}, {format_document_date(on)}",
            national_lines=STATE_MOTTO,
        )
    if issuing_unit is not None and issuing_unit.is_party_body:
        return Header(
            party=True,
            parent_body=f"ĐẢNG BỘ TỈNH {province_upper}",
            issuing_body=name,
            number_line=f"Số       -{kind}/TU",
            place_date=place_date,
            national_lines=PARTY_MOTTO,
        )
    return Header(
        party=False,
        parent_body=f"UBND TỈNH {province_upper}",
        issuing_body=name,
        number_line=f"Số:       /{kind}-{code}",
        place_date=place_date,
        national_lines=STATE_MOTTO,
    )


def _place_name(commune_name: str) -> str:
    """"Ia Boòng" for "Xã Ia Boòng": the place a commune writes its documents from."""
    for prefix in ("Đặc khu ", "Phường ", "Xã "):
        if commune_name.startswith(prefix):
            return commune_name[len(prefix):]
    return commune_name


def numbered(sections: list[Section]) -> list[Section]:
    """Prefix each heading with its number (1., 2., ...)."""
    return [
        Section(f"{i}. {s.heading}", s.paragraphs, s.table, s.after) for i, s in enumerate(sections, start=1)
    ]


# Who signs, by the start of the issuing body's name; the person's name is left for Word.
_SIGNER_TITLES = (
    ("Văn phòng", "CHÁNH VĂN PHÒNG"),
    ("Ủy ban Kiểm tra", "CHỦ NHIỆM"),
    ("Ủy ban MTTQ", "CHỦ TỊCH"),
    ("Ban Quản lý", "TRƯỞNG BAN"),
    ("Ban", "TRƯỞNG BAN"),
    ("Sở", "GIÁM ĐỐC"),
    ("Công an", "GIÁM ĐỐC"),
    ("Thanh tra", "CHÁNH THANH TRA"),
    ("Bộ Chỉ huy", "CHỈ HUY TRƯỞNG"),
)


def default_signer_title(issuing_unit) -> str:
    """The signer's title under the report: the head of the issuing body, as usually written."""
    if issuing_unit is None:
        return "CHÁNH VĂN PHÒNG"
    if issuing_unit.is_commune:
        return "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    for prefix, title in _SIGNER_TITLES:
        if issuing_unit.name.startswith(prefix):
            return title
    return "THỦ TRƯỞNG CƠ QUAN"
