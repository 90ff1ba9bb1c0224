"""A built document sent as a download, under its Vietnamese name."""

import unicodedata
from urllib.parse import quote

from flask import Response


def ascii_name(name: str) -> str:
    """The file name without marks, for clients that ignore filename* (đ becomes d)."""
    name = name.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode("ascii")


def safe_file_name(name: str) -> str:
    """A file name any system accepts: no path separators or reserved characters."""
    cleaned = "".join("-" if c in '\\/:*?"<>|' else c for c in name)
    return " ".join(cleaned.split())[:150]


def attach(response: Response, file_name: str) -> Response:
    """Mark response as an attachment with its name (filename*, RFC 6266) and a plain fallback."""
    file_name = safe_file_name(file_name)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_name(file_name)}"; filename*=UTF-8\'\'{quote(file_name, safe="")}'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def download(data: bytes, mimetype: str, file_name: str) -> Response:
    """An attachment with its Vietnamese name and a plain fallback."""
    return attach(Response(data, mimetype=mimetype), file_name)
