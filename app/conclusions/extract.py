"""The text of an uploaded conclusion notice: Word (.docx, python-docx) or PDF with a text
layer (pypdf). Each returns lines the parser reads; Word's automatic list numbering, which is
not part of a paragraph's text, is written back in front of it ("1.", "a)", "-")."""

from __future__ import annotations

import io
import logging
import re

from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

MAX_PDF_PAGES = 60  # a conclusion notice is a few pages; more is not one
MIN_TEXT_CHARS = 40
READABLE = ("docx", "pdf")


class ExtractError(ValueError):
    """The file cannot be read as a notice; the message is shown next to the file field."""


def text_of(extension: str, data: bytes) -> str:
    """The notice's text, or ExtractError with a Vietnamese message."""
    if extension == "docx":
        text = _docx_text(data)
    elif extension == "pdf":
        text = _pdf_text(data)
    else:
        raise ExtractError(_l("Chỉ đọc được thông báo dạng Word (.docx) hoặc PDF có lớp chữ; "
                              "với định dạng khác, hãy dán nội dung vào ô bên dưới."))
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise ExtractError(_l("Không đọc được chữ trong tệp (có thể là bản chụp, bản scan). "
                              "Hãy dán nội dung thông báo vào ô bên dưới."))
    return text


def _docx_text(data: bytes) -> str:
    from docx import Document
    from docx.oxml.ns import qn

    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # a damaged or disguised file: any error of the reader
        log.info("Unreadable .docx notice: %s", error)
        raise ExtractError(_l("Tệp Word bị hỏng hoặc không đúng định dạng .docx.")) from error
    lines: list[str] = []
    counters: dict[tuple[str, int], int] = {}
    body = document.element.body
    styles = {s.style_id: s.element for s in document.styles}
    formats = _number_formats(document)
    for element in body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(_paragraph_line(element, counters, styles, formats))
        elif element.tag == qn("w:tbl"):  # the header table: issuer, number, place and date
            for paragraph in element.iter(qn("w:p")):
                lines.append(_paragraph_line(paragraph, counters, styles, formats))
    return "\n".join(lines)


def _number_formats(document) -> dict[tuple[str, int], str]:
    """(numId, level) -> Word's number format there ("decimal", "lowerLetter", "bullet", ...)."""
    from docx.oxml.ns import qn

    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for node in numbering.iter(qn("w:abstractNum")):
        levels = {}
        for level in node.iter(qn("w:lvl")):
            fmt = level.find(qn("w:numFmt"))
            levels[int(level.get(qn("w:ilvl"), "0"))] = fmt.get(qn("w:val")) if fmt is not None else "decimal"
        abstract[node.get(qn("w:abstractNumId"))] = levels
    result = {}
    for num in numbering.iter(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        for level, fmt in abstract.get(ref.get(qn("w:val")) if ref is not None else None, {}).items():
            result[(num.get(qn("w:numId")), level)] = fmt
    return result


def _numbering(paragraph, styles: dict) -> tuple[str, int] | None:
    """The paragraph's list numbering as (numId, level): its own w:numPr, completed by its
    style's ("List Number") for what it leaves out; None when it is not in a list."""
    from docx.oxml.ns import qn

    path = f"{qn('w:pPr')}/{qn('w:numPr')}"
    found = [paragraph.find(path)]
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    style_id = style.get(qn("w:val")) if style is not None else None
    seen = set()
    while style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        found.append(styles[style_id].find(path))
        based = styles[style_id].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    num_id = level = None
    for num_pr in (n for n in found if n is not None):
        if num_id is None and (node := num_pr.find(qn("w:numId"))) is not None:
            num_id = node.get(qn("w:val"))
        if level is None and (node := num_pr.find(qn("w:ilvl"))) is not None:
            level = int(node.get(qn("w:val")))
    if num_id is None or num_id == "0":  # numId 0 switches numbering off
        return None
    return num_id, level or 0


def _paragraph_line(paragraph, counters: dict[tuple[str, int], int], styles: dict, formats: dict) -> str:
    from docx.oxml.ns import qn

    text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
    key = _numbering(paragraph, styles)
    if key is None or not text.strip():
        return text
    counters[key] = counters.get(key, 0) + 1
    for other in [k for k in counters if k[0] == key[0] and k[1] > key[1]]:
        del counters[other]  # a new item restarts its sub-items' count
    count = counters[key]
    # Word's own format for the level; without one, how notices number: 1., a), then dashes.
    fmt = formats.get(key) or ("decimal" if key[1] == 0 else "lowerLetter" if key[1] == 1 else "bullet")
    if fmt == "decimal":
        return f"{count}. {text}"
    if fmt == "lowerLetter":
        return f"{'abcdđeghiklmnopqrstuvxy'[min(count, 23) - 1]}) {text}"
    if fmt == "upperRoman" and count <= len(_ROMANS):
        return f"{_ROMANS[count - 1]}. {text}"
    return f"- {text}"


_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


_ENDS_SENTENCE = re.compile(r"[.;:!?…]$|/\.$")
_OPENS_ITEM = re.compile(r"^([IVX]{1,5}[.)]|\d{1,2}[.)]|\d{1,2}\.\d{1,2}\.?|[a-zđ]\)|[-–—•+*·])\s")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractError(_l("Tệp PDF có mật khẩu; hãy gửi bản không đặt mật khẩu hoặc dán nội dung."))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ExtractError(_l("Tệp PDF quá dài để là một thông báo kết luận (tối đa %(n)s trang).", n=MAX_PDF_PAGES))
        raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    except ExtractError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        log.info("Unreadable PDF notice: %s", error)
        raise ExtractError(_l("Tệp PDF bị hỏng hoặc không đọc được.")) from error
    return unwrap(raw)


def unwrap(raw: str) -> str:
    """Join the lines a PDF wrapped inside a paragraph: a line that does not end a sentence
    continues on the next one, unless the next one opens an item."""
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    result: list[str] = []
    for line in lines:
        if not line:
            continue
        if result and not _ENDS_SENTENCE.search(result[-1]) and not _OPENS_ITEM.match(line) \
                and not result[-1].isupper():
            result[-1] = f"{result[-1]} {line}"
        else:
            result.append(line)
    return "\n".join(result)
