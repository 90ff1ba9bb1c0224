"""A workbook as bytes, written by the exports' own writer (app.documents.xlsx.write_xlsx)."""

import io

from app.documents.xlsx import write_xlsx


def xlsx_bytes(*args, **kwargs) -> bytes:
    """write_xlsx(out, *args, **kwargs) into memory: the file's bytes."""
    buffer = io.BytesIO()
    write_xlsx(buffer, *args, **kwargs)
    return buffer.getvalue()
