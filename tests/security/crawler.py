"""Find every page and POST form a logged-in user can reach by following links."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SKIP_PREFIXES = ("/static/", "/files/", "/logout")


@dataclass
class FormSpec:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input type ("select", "textarea", ...)
    options: dict[str, list[str]] = field(default_factory=dict)
    multipart: bool = False


class _PageParser(HTMLParser):
    def __init__(self, base: str):
        super().__init__()
        self.base = base
        self.links: list[str] = []
        self.forms: list[FormSpec] = []
        self._form: FormSpec | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]))
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            action = urljoin(self.base, a.get("action") or a.get("hx-post") or self.base)
            self._form = FormSpec(action=action, multipart=a.get("enctype") == "multipart/form-data")
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            if kind not in ("submit", "button"):
                self._form.fields.setdefault(a["name"], kind)
            if tag == "select":
                self._select = a["name"]
        elif tag == "option" and self._form is not None and self._select:
            self._form.options.setdefault(self._select, []).append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def local_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "localhost"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if path.startswith(SKIP_PREFIXES) else path


def crawl(client, start: str = "/", limit: int = 120) -> tuple[dict[str, int], list[FormSpec]]:
    """Breadth-first GET of reachable pages; returns {path: status} and the POST forms seen."""
    seen: dict[str, int] = {}
    forms: dict[str, FormSpec] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        parser = _PageParser("http://localhost" + path)
        parser.feed(response.get_data(as_text=True))
        for link in parser.links:
            target = local_path(link)
            # One page of each list is enough: skip deep pagination and sort variants.
            if target and target not in seen and "page=" not in target and "sort=" not in target:
                queue.append(target)
        for form in parser.forms:
            action = local_path(form.action)
            if action:
                form.action = action
                # One form per route: /users/7/active and /users/8/active are the same form.
                forms.setdefault(re.sub(r"/\d+", "/<id>", action.split("?")[0]), form)
    return seen, list(forms.values())
