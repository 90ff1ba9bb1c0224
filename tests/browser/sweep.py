"""Every page each role can reach on the demo site, for the page sweeps (phone width, axe).

The pages come from following links as the role, one page per route of the route list
(tests/security/access_table.py): a second proposal page adds time, not coverage. Only full
HTML pages count (exports and downloads are not screens).
"""

from urllib.parse import urlsplit

from werkzeug.routing import Map, Rule
from werkzeug.routing.exceptions import HTTPException, RequestRedirect

from tests.live_server import Client
from tests.security.access_table import _TABLE, ROLES
from tests.security.crawler import _PageParser, local_path

# The demo accounts, and the access table's column each one stands for.
DEMO_ROLES = {
    "commune": ("xa.demo", "commune_b"),
    "department": ("so.demo", "department"),
    "coordinator": ("vanphong.demo", "coordinator"),
    "leader": ("lanhdao.demo", "leader"),
    "admin": ("quantri.demo", "admin"),
}
MAX_PAGES = 80


def _route_map() -> Map:
    rules = {path.split("[", 1)[0] for path in _TABLE}
    return Map([Rule(path, endpoint=path) for path in sorted(rules)])


ROUTES = _route_map()


def route_of(path: str) -> str | None:
    """The access table's route that path belongs to (None when it is no route of the table)."""
    parts = urlsplit(path)
    try:
        endpoint, _args = ROUTES.bind("localhost").match(parts.path, method="GET")
    except RequestRedirect as redirect:
        return route_of(urlsplit(redirect.new_url).path)
    except HTTPException:
        return None
    return endpoint


def pages_of(base_url: str, role: str) -> dict[str, str]:
    """{route: the first path of that route the role reaches}, full HTML pages only."""
    username, _column = DEMO_ROLES[role]
    client = Client(base_url)
    assert client.log_in(username) == 303
    found: dict[str, str] = {}
    seen: set[str] = set()
    # Every page of the route list the role may open, then what their links lead to.
    queue = ["/", *sorted(expected_pages(role))]
    while queue and len(found) < MAX_PAGES:
        path = queue.pop(0)
        route = route_of(path)
        if path in seen or route is None or route in found:
            continue
        seen.add(path)
        status, headers, body = client.get(path)
        text = body.decode(errors="replace")
        if status != 200 or not headers.get("Content-Type", "").startswith("text/html") or "<html" not in text[:300]:
            continue
        found[route] = path
        parser = _PageParser("http://localhost" + path)
        parser.feed(text)
        for link in parser.links:
            target = local_path(link)
            if target and target not in seen and "page=" not in target and "after=" not in target:
                queue.append(target)
    return found


def expected_pages(role: str) -> set[str]:
    """The routes without parameters the table lets the role open: each must be in the sweep."""
    column = ROLES.index(DEMO_ROLES[role][1])
    expected = set()
    for path, methods in _TABLE.items():
        outcome = methods.get("GET", "").split()
        if "<" not in path and "[" not in path and outcome and outcome[column] == "ok":
            expected.add(path)
    return expected
