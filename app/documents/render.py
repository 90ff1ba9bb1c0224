"""Render a Report to HTML (print page), PDF (WeasyPrint, from that HTML) and Word (.docx)."""

import gc
import io
import os
import re
from contextlib import contextmanager
from copy import deepcopy
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from flask import current_app, render_template, url_for
from markupsafe import Markup, escape

from app.documents import pdf
from app.documents.model import DEMO_MARK, RECIPIENTS_LABEL, GroupRow, Report, numbered

FONT_NAME = "Times New Roman"  # Word's name; the print CSS uses the shipped metric twin
BODY_PT = 13
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
A4_MM = (210, 297)
HEADER_WIDTHS_MM = (65, 100)  # left (issuing body) and right (national motto) columns

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What XML 1.0 has no place for (lxml refuses the whole document for one): the C0 controls but
# tab, line feed and carriage return, and U+FFFE/U+FFFF. Text saved before input was cleaned
# may hold them; every text run goes through _xml_text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What must never wrap inside a table cell: dates, numbers ("293.275", "87,6%", "(12 ngày)" keeps
# its number with its word) and short codes such as "TT".
_UNBREAKABLE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d[\d.,]*%?(?: ngày)?|\b[A-ZĐ]{2,3}\b")


def nobreak(text) -> Markup:
    """A table cell's text, escaped, with each date and number kept on one line."""
    text = "" if text is None else str(text)
    parts, last = [], 0
    for match in _UNBREAKABLE.finditer(text):
        parts += [escape(text[last:match.start()]), Markup('<span class="nw">'), escape(match.group(0)),
                  Markup("</span>")]
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


# A table row keeps its lines on one page (PDF: break-inside, Word: cantSplit), unless it is so tall that moving it whole would leave
# a half-empty page behind it: a row of more than SPLIT_ROW_LINES lines (about 70 mm at 12 pt,
# a quarter of the page) may run over to the next page. Lines are estimated from the text's
# length and the column's width (an average letter of the 12 pt serif is about 2 mm wide).
SPLIT_ROW_LINES = 12
_LETTER_MM = 2.0


def tall_row(row, widths_mm) -> bool:
    """Whether a table row is tall enough to be let split across pages (see SPLIT_ROW_LINES)."""
    lines = 0
    for value, width in zip(row, widths_mm, strict=False):
        per_line = max(1, int((width - 2) / _LETTER_MM))
        lines = max(lines, sum(-(-len(part) // per_line) for part in str(value or "").split("\n")))
    return lines > SPLIT_ROW_LINES


def render_html(report: Report, *, for_pdf: bool = False, toolbar: dict | None = None) -> str:
    """The print-ready page; for_pdf points the fonts at files WeasyPrint can read."""
    static = Path(current_app.static_folder)

    def asset(filename: str) -> str:
        return (static / filename).as_uri() if for_pdf else url_for("static", filename=filename)

    return render_template(
        "documents/report.html",
        report=report,
        sections=numbered(report.sections),
        asset=asset,
        margins=MARGINS_MM,
        toolbar=None if for_pdf else toolbar,
        recipients_label=RECIPIENTS_LABEL,
        nobreak=nobreak,
        tall_row=tall_row,
        demo_mark=DEMO_MARK,
    )


def render_pdf(report: Report) -> bytes:
    """PDF made by WeasyPrint from the same HTML as the print page, in a clean child process.

    Raises PdfNotReady when the child does not finish within PDF_TIMEOUT_SECONDS (it is killed).
    """
    html = render_html(report, for_pdf=True)
    config = current_app.config
    cache_dir = os.path.join(config["DOCUMENT_JOB_DIR"], "layouts") if config["PDF_LAYOUT_CACHE"] else None
    return pdf.lay_out(html, timeout=config["PDF_TIMEOUT_SECONDS"], here=config["PDF_IN_PROCESS"],
                       cache_dir=cache_dir)


def render_docx(report: Report) -> bytes:
    """The same report as an editable Word document."""
    with collected_when_done():
        return _build_docx(report)


@contextmanager
def collected_when_done():
    """Free the reference cycles made inside the block as it ends, at the cost of a young collection.

    A python-docx Document is a reference cycle (package and parts), and so is every row.cells
    call (a recursive closure): they hold the whole XML tree, kept by libxml2 where the collector's
    thresholds do not see it. Promoted to the oldest generation, they waited for a rare full pass:
    a worker kept up to six big meetings' trees (+30 MB RSS). With automatic collection off
    inside, all of it is still in the youngest generation at the end, and collecting that
    generation alone frees it in milliseconds (a full collection costs ~150 ms here).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        if was_enabled:
            gc.enable()


def _build_docx(report: Report) -> bytes:
    document = Document()
    _page_setup(document, report)
    _styles(document)
    _header_block(document, report)
    _title(document, report)
    _subject_rule(document, report)
    for text in report.intro:
        _paragraph(document, text, indent=True)
    for section in numbered(report.sections):
        _paragraph(document, section.heading, bold=True).paragraph_format.keep_with_next = True
        for text in section.paragraphs:
            _paragraph(document, text, indent=True)
        if section.table is not None:
            _table(document, section.table)
        for text in section.after:
            _paragraph(document, text, indent=True)
    _closing(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Word helpers ----------------------------------------------------------------------------


def _page_setup(document, report: Report) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.different_first_page_header_footer = True  # page numbers from page 2
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(paragraph)
    if report.demo:
        for header in (section.header, section.first_page_header):
            mark = header.add_paragraph()
            mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = mark.add_run(DEMO_MARK)
            run.italic = True
            run.font.size = Pt(11)


def _page_number_field(paragraph) -> None:
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.name = FONT_NAME
    run.font.size = Pt(BODY_PT)


def _styles(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT_NAME
    style.font.size = Pt(BODY_PT)
    # East-Asian and complex-script slots too, so Word never swaps the font for Vietnamese.
    fonts = style.element.rPr.rFonts
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT_NAME)
    style.paragraph_format.space_after = Pt(6)


def _xml_text(text: str | None) -> str | None:
    return _NOT_XML.sub("", text) if text else text


def _paragraph(container, text: str, *, bold=False, italic=False, align=None, size=None, indent=False, underline=False):
    paragraph = container.add_paragraph()
    run = paragraph.add_run(_xml_text(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    return paragraph


@lru_cache(maxsize=2)
def _font(path: str):
    from PIL import ImageFont

    return ImageFont.truetype(path, size=100)


def _text_width_mm(text: str, size_pt: float, *, bold: bool) -> float:
    """How wide text prints in the shipped Times New Roman metric twin (Liberation Serif)."""
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    font = _font(str(Path(current_app.static_folder) / "fonts" / name))
    return font.getlength(text) * size_pt / 100 * 25.4 / 72


def _rule(container, width_mm: float, box_mm: float, *, space_after: float = 0):
    """A solid rule width_mm long, centred in a box_mm wide column: an empty paragraph's bottom
    border, indented from both sides (ND 30's rule under the motto, the name, the subject)."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = max((box_mm - width_mm) / 2, 0)
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.add_run().font.size = Pt(2)
    return paragraph


def _fixed_table(document, rows: int, widths_mm, borders: bool):
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if borders:
        table.style = document.styles["Table Grid"]
    # Column widths (w:gridCol) and every cell's width (w:tcW): Word reads one, LibreOffice the other.
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    # Narrow cell margins (1 mm each side): a date fits a 22 mm column in Word as in the PDF.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "57")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)
    return table


def _cell_lines(cell, lines, *, bold_from=0, size=None, italic=False, underline_last=False):
    for index, text in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(_xml_text(text))
        run.bold = index >= bold_from
        run.italic = italic
        run.underline = underline_last and index == len(lines) - 1
        if size:
            run.font.size = Pt(size)


def _header_block(document, report: Report) -> None:
    header = report.header
    table = _fixed_table(document, 2, HEADER_WIDTHS_MM, borders=False)
    left, right = table.rows[0].cells
    parent = [header.parent_body] if header.parent_body else []
    _cell_lines(left, parent + header.issuing_body.split("\n"), bold_from=len(parent), size=BODY_PT - 1)
    name_lines = header.issuing_body.split("\n")
    if header.party:
        star = left.add_paragraph("*")
        star.alignment = WD_ALIGN_PARAGRAPH.CENTER
        star.paragraph_format.space_after = Pt(0)
    else:
        # ND 30: a rule under the name, a third to a half of its longest line.
        longest = max(_text_width_mm(line, BODY_PT - 1, bold=True) for line in name_lines)
        _rule(left, min(max(longest / 2.5, 15), HEADER_WIDTHS_MM[0] - 10), HEADER_WIDTHS_MM[0], space_after=4)
    _cell_lines(right, list(header.national_lines), bold_from=0)
    # The motto's rule is as long as its last line (ND 30, HD 36), drawn, not an underline.
    last = header.national_lines[-1]
    _rule(right, _text_width_mm(last, BODY_PT, bold=True), HEADER_WIDTHS_MM[1], space_after=4)
    number_cell, date_cell = table.rows[1].cells
    _cell_lines(number_cell, [header.number_line], bold_from=99)
    _cell_lines(date_cell, [header.place_date], bold_from=99, italic=True)


def _title(document, report: Report) -> None:
    _paragraph(document, report.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=BODY_PT + 1)
    _paragraph(document, report.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _subject_rule(document, report: Report) -> None:
    """Under the subject: a short solid rule (ND 30), five dashes (HD 36)."""
    if report.header.party:
        _paragraph(document, "-----", align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        text_mm = A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
        _rule(document, 40, text_mm, space_after=12)


def _row_properties(row, *, header: bool, keep_whole: bool = True) -> None:
    """Short rows never split across pages (cantSplit); the header row repeats on each page (tblHeader)."""
    properties = row._tr.get_or_add_trPr()
    tags = ("w:cantSplit",) if keep_whole else ()
    for tag in tags + ("w:tblHeader",) if header else tags:
        element = OxmlElement(tag)
        properties.append(element)


def _table(document, spec) -> None:
    rows = 1 + len(spec.rows) + (1 if spec.total_row else 0)
    table = _fixed_table(document, rows, spec.widths_mm, borders=True)
    # One pass over the rows: table.rows[i] walks every row up to i, and .cells rebuilds the
    # row's grid, so indexing them per cell made a 300-row table quadratic (seconds).
    table_rows = iter(table.rows)
    fill = CellWriter()
    header_row = next(table_rows)
    _row_properties(header_row, header=True)
    for cell, text in zip(header_row.cells, spec.columns, strict=True):
        fill(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    body = list(spec.rows) + ([spec.total_row] if spec.total_row else [])
    for row_index, (row, values) in enumerate(zip(table_rows, body, strict=True), start=1):
        cells = row.cells
        if isinstance(values, GroupRow):
            _row_properties(row, header=False)
            merged = cells[0].merge(cells[-1])
            _set_cell(merged, values.text, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
            merged.paragraphs[0].paragraph_format.keep_with_next = True  # never alone at a page foot
            continue
        _row_properties(row, header=False, keep_whole=not tall_row(values, spec.widths_mm))
        is_total = spec.total_row is not None and row_index == rows - 1
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if index in spec.numeric else WD_ALIGN_PARAGRAPH.LEFT
            fill(cell, text, bold=is_total, align=align)
    document.add_paragraph()


def _set_cell(cell, text: str, *, bold=False, align=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(_xml_text(text))
    run.bold = bold
    run.font.size = Pt(BODY_PT - 1)


_RUN_CONTROLS = re.compile("[\t\r\n]")  # python-docx turns these into w:tab and w:br


class CellWriter:
    """Fill fresh table cells exactly as _set_cell does, at a fraction of the cost.

    python-docx spends most of a cell's time finding where each property element goes
    (w:pPr, w:spacing, w:jc, w:rPr, w:b, w:sz); a meeting of 300 proposals has 2,400 cells.
    So each formatting (bold, align) is made once by _set_cell and its paragraph copied into
    the other cells, the text added as python-docx adds it: the same XML, in ~1/10 the time.
    """

    def __init__(self):
        self._paragraphs: dict = {}

    def __call__(self, cell, text: str, *, bold=False, align=None) -> None:
        text = _xml_text(text)
        key = (bold, align)
        template = self._paragraphs.get(key)
        if template is None:
            _set_cell(cell, "", bold=bold, align=align)
            self._paragraphs[key] = deepcopy(cell._tc.p_lst[0])
            paragraph = cell._tc.p_lst[0]
        else:
            paragraph = deepcopy(template)
            cell._tc.replace(cell._tc.p_lst[0], paragraph)
        if not text:
            return
        run = paragraph.r_lst[0]
        if _RUN_CONTROLS.search(text):
            run.text = text  # tabs and line breaks: python-docx's own conversion
        else:
            run.add_t(text)


def _closing(document, report: Report) -> None:
    table = _fixed_table(document, 1, HEADER_WIDTHS_MM, borders=False)
    left, right = table.rows[0].cells
    run = left.paragraphs[0].add_run(RECIPIENTS_LABEL)
    run.bold, run.italic = True, True
    run.font.size = Pt(12)
    for line in report.recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        small = paragraph.add_run(_xml_text(line))
        small.font.size = Pt(11)
    _cell_lines(right, [*report.signer_title.split("\n"), "", "", "", report.signer_name], bold_from=0)
