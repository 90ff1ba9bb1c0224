"""Static files under content-hashed names, cached for a year by the browser.

`url_for('static', filename='css/app.css')` gives `/static/css/app.3f2a9c1b7d4e.css`: the
first 12 hex digits of the file's SHA-256 before its extension. The name changes whenever
the content does, so the answer may be cached "immutable" for a year and a second page view
loads no stylesheet or script again; a deploy changes the names of exactly the files it
changed. The names are computed once when the app starts (a few dozen files).

Served by the app (no nginx in front) the hashed name is mapped back to the file and answered
with `Cache-Control: public, max-age=31536000, immutable`; the plain name still works, with
Flask's usual short caching. Behind nginx the shipped site (deploy/nginx/giaoban.conf) strips
the hash itself with a regex location and serves the file from disk with the same header.
In debug mode (files edited while the server runs) the names stay plain.
"""

import hashlib
import re
from pathlib import Path

from flask import Flask

HASH_DIGITS = 12
# vendor/ names carry their release (htmx-2.0.11.min.js) and never change: left as they are
# (nginx gives them a year already).
VERSIONED = "vendor/"
YEAR_SECONDS = 365 * 24 * 3600
# stem.hash.ext — the regex nginx uses too (deploy/nginx/giaoban.conf)
HASHED_NAME_RE = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")


def hashed_names(folder: Path) -> dict[str, str]:
    """{'css/app.css': 'css/app.3f2a9c1b7d4e.css', ...} for every file with an extension under folder
    (vendor/ apart)."""
    names = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if not path.is_file() or not path.suffix or path.name.startswith(".") or name.startswith(VERSIONED):
            continue
        digest = _digest(path)
        names[name] = f"{name[: -len(path.suffix)]}.{digest}{path.suffix}"
    return names


_digests: dict[tuple[str, int, int], str] = {}


def _digest(path: Path) -> str:
    """The file's short hash, read again only when its size or time changed (tests build many apps)."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _digests:
        _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_DIGITS]
    return _digests[key]


def init_static_files(app: Flask) -> None:
    if app.debug or app.static_folder is None:
        return
    names = hashed_names(Path(app.static_folder))
    originals = {hashed: name for name, hashed in names.items()}
    app.extensions["static_names"] = names

    @app.url_defaults
    def _hashed_static_url(endpoint, values):
        if endpoint == "static":
            hashed = names.get(values.get("filename"))
            if hashed is not None:
                values["filename"] = hashed

    serve_plain = app.view_functions["static"]

    def static(filename):
        original = originals.get(filename)
        if original is None:
            return serve_plain(filename=filename)
        response = serve_plain(filename=original)
        response.cache_control.public = True
        response.cache_control.max_age = YEAR_SECONDS
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
        return response

    app.view_functions["static"] = static
