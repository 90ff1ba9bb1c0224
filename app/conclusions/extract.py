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
    for element in body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(_paragraph_line(element, counters, styles))
        elif element.tag == qn("w:tbl"):  # the header table: issuer, number, place and date
            for paragraph in element.iter(qn("w:p")):
                lines.append(_paragraph_line(paragraph, counters, styles))
    return "\n".join(lines)


def _numbering(paragraph, styles: dict):
    """The paragraph's list numbering (w:numPr): its own, or its style's ("List Number")."""
    from docx.oxml.ns import qn

    path = f"{qn('w:pPr')}/{qn('w:numPr')}"
    num_pr = paragraph.find(path)
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    style_id = style.get(qn("w:val")) if style is not None else None
    seen = set()
    while num_pr is None and style_id and style_id not in seen and style_id in styles:
        seen.add(style_id)
        num_pr = styles[style_id].find(path)
        based = styles[style_id].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    return num_pr


def _paragraph_line(paragraph, counters: dict[tuple[str, int], int], styles: dict) -> str:
    from docx.oxml.ns import qn

    text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
    num_pr = _numbering(paragraph, styles)
    if num_pr is None or not text.strip():
        return text
    num_id = num_pr.find(qn("w:numId"))
    level = num_pr.find(qn("w:ilvl"))
    key = (num_id.get(qn("w:val")) if num_id is not None else "0",
           int(level.get(qn("w:val"))) if level is not None else 0)
    counters[key] = counters.get(key, 0) + 1
    for other in [k for k in counters if k[0] == key[0] and k[1] > key[1]]:
        del counters[other]  # a new item restarts its sub-items' count
    count = counters[key]
    # Without reading the numbering definitions: level 0 numbers, level 1 letters, deeper dashes,
    # which is how notices number their conclusions.
    if key[1] == 0:
        return f"{count}. {text}"
    if key[1] == 1:
        return f"{'abcdđeghiklmnopqrstuvxy'[min(count, 23) - 1]}) {text}"
    return f"- {text}"


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
