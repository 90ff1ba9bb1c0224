"""An official report as data, rendered the same way to HTML (print, PDF) and Word.

Layout rules: Nghị định 30/2020/NĐ-CP for state bodies, Hướng dẫn 36-HD/VPTW for Party
bodies. A report is built once from the data and handed to each renderer, so the printed
page, the PDF and the .docx always say the same thing.
"""

from dataclasses import dataclass, field
from datetime import date

from app.documents.headers import UnitHeader
from app.formatting import format_document_date

# Fixed wording of the legal layouts (ND 30/2020, HD 36-HD/VPTW): part of the document
# format, not of the interface, so it is not translated.
STATE_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PARTY_MOTTO = ("ĐẢNG CỘNG SẢN VIỆT NAM",)
RECIPIENTS_LABEL = "Nơi nhận:"


# Room left for the number written by hand ("Số:          /BC-SXD"): Word and LibreOffice keep
# the spaces; the HTML draws the same gap as a fixed-width blank.
NUMBER_BLANK = "\u00a0" * 12
DEMO_MARK = "Dữ liệu minh họa"


@dataclass(frozen=True)
class Header:
    """The header block: who issues the document, its number and the place-and-date line."""

    party: bool  # Party layout (HD 36) instead of the state layout (ND 30)
    parent_body: str  # "UBND TỈNH GIA LAI", "TỈNH ỦY GIA LAI"; "" when none is printed
    issuing_body: str  # upper case, bold; lines separated by "\n"
    number_prefix: str  # "Số:" (ND 30) or "Số" (HD 36)
    number_suffix: str  # "/BC-SXD" or "-BC/VPTU"
    place_date: str  # "Gia Lai, ngày 05 tháng 01 năm 2026"
    national_lines: tuple[str, ...]  # right-hand block

    @property
    def number_line(self) -> str:
        """The number line with its blank, as Word shows it."""
        return f"{self.number_prefix}{NUMBER_BLANK}{self.number_suffix}"


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
    recipients: list[str]  # "Nơi nhận:" lines as printed, punctuation included (recipient_lines)
    signer_title: str  # may hold several lines ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
    signer_name: str = ""
    intro: list[str] = field(default_factory=list)
    demo: bool = False  # made from a demo database: every page says DEMO_MARK


def build_header(issuer: UnitHeader, on: date, kind: str = "BC") -> Header:
    """Header for a document of kind (BC: báo cáo) issued by a body with the printed data issuer."""
    party = issuer.party
    return Header(
        party=party,
        parent_body=issuer.superior,
        issuing_body="\n".join(issuer.name_lines),
        number_prefix="Số" if party else "Số:",
        number_suffix=f"-{kind}/{issuer.abbr}" if party else f"/{kind}-{issuer.abbr}",
        place_date=f"{issuer.place}, {format_document_date(on)}",
        national_lines=PARTY_MOTTO if party else STATE_MOTTO,
    )


def recipient_lines(recipients: list[str], storage: str, *, party: bool) -> list[str]:
    """"Nơi nhận" lines with their punctuation: ND 30 ends each with ";" and the last,
    "Lưu: VT, <drafting unit>.", with a full stop; HD 36 ends each with "," and the last,
    "Lưu <office>.", with a full stop."""
    mark = "," if party else ";"
    return [f"- {line}{mark}" for line in recipients] + [f"- {storage}."]


def numbered(sections: list[Section]) -> list[Section]:
    """Prefix each heading with its number (1., 2., ...)."""
    return [
        Section(f"{i}. {s.heading}", s.paragraphs, s.table, s.after) for i, s in enumerate(sections, start=1)
    ]


