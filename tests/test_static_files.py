"""Static files are linked under content-hashed names and cached for a year (app/static_files.py)."""

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_pages_link_hashed_names_served_with_a_year_of_cache(client):
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.([0-9a-f]{12})\.css)"', page)
    assert css, "the stylesheet is linked under its plain name"
    content = (ROOT / "static" / "css" / "app.css").read_bytes()
    assert css.group(2) == hashlib.sha256(content).hexdigest()[:12]
    with client.get(css.group(1)) as response:
        assert response.status_code == 200 and response.data == content
        assert response.mimetype == "text/css"
        cache = response.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "public" in cache
    scripts = [s for s in re.findall(r'src="(/static/[^"]+)"', page) if "/vendor/" not in s]
    assert scripts and all(re.search(r"\.[0-9a-f]{12}\.js$", src) for src in scripts)


def test_the_plain_name_still_works_and_a_wrong_hash_is_not_found(client):
    with client.get("/static/css/app.css") as plain:
        assert plain.status_code == 200 and "immutable" not in plain.headers.get("Cache-Control", "")
    assert client.get("/static/css/app.000000000000.css").status_code == 404
