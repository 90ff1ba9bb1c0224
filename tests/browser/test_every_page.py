"""Every page of every role, in real Chromium (issue 15, 7 and 8).

One live server and one browser for the module; each role's pages (tests/browser/sweep.py: the
route list's pages the role may open, and what their links lead to) are visited once, and that
visit answers both questions:

- a phone: at 360 px no page scrolls sideways, and what a finger taps is at least 44 px high;
- everyone: axe-core (axe-playwright-python) finds no serious or critical WCAG 2.1 A/AA
  violation, on the page as loaded and again with its panels open (every <details>, and the
  htmx panels a link opens in place, such as a unit's edit row).
"""

import json
import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in
from tests.browser.sweep import DEMO_ROLES, expected_pages, pages_of

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
MIN_TAP = 44

# What sticks out past the right edge of the screen, to name it in the failure.
WIDE_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !el.closest('.flatpickr-calendar')) {
      const parent = el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1;
      if (!parent) out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' (' + Math.round(box.right) + 'px)');
    }
  }
  return out.slice(0, 5);
}"""

# Controls a finger taps (buttons, boxes, lists, menu entries) shorter than MIN_TAP px; links in
# running text are exempt, as WCAG's target-size rule exempts inline targets.
SMALL_TARGETS = """(min) => {
  const out = [];
  const controls = document.querySelectorAll(
    'main button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main summary, ' +
    'main [role=button], .site-header a, .site-header button, .site-header summary, .pagination a');
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || el.closest('.flatpickr-calendar')) continue;
    if (box.height < min - 0.5) out.push((el.getAttribute('name') || el.textContent.trim().slice(0, 30) || el.tagName) + ' (' + Math.round(box.height) + 'px)');
  }
  return out.slice(0, 8);
}"""

# A badge says in words what its colour says (colour is never the only signal).
MUTE_BADGES = """() => [...document.querySelectorAll('.badge, .bell-count')]
  .filter((b) => !(b.textContent.trim() || b.getAttribute('aria-label'))).map((b) => b.outerHTML.slice(0, 80))"""

OPEN_PANELS = """() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const links = [...document.querySelectorAll('main a[hx-get]:not([hx-push-url="true"])')].slice(0, 2);
  links.forEach((a) => a.click());
  return links.length;
}"""

_swept: dict[str, dict] = {}


def _sweep(browser, base_url: str, role: str) -> dict:
    """Visit every page of role once; what each check found, by page."""
    if role in _swept:
        return _swept[role]
    pages = pages_of(base_url, role)
    # bypass_csp: axe and the waits are the test's scripts, not the page's (the CSP forbids eval).
    # reduced_motion: a menu still fading in has no final colours to measure.
    context = browser.new_context(base_url=base_url, locale="vi-VN", viewport=PHONE, bypass_csp=True,
                                  reduced_motion="reduce")
    context.set_default_timeout(15000)
    axe = Axe()
    found = {"pages": pages, "wide": {}, "small": {}, "axe": {}, "mute_badges": {}}
    try:
        page = context.new_page()
        log_in(page, DEMO_ROLES[role][0])
        for path in sorted(pages.values()):
            page.set_viewport_size(PHONE)
            page.goto(path)
            _settle(page)
            if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                found["wide"][path] = page.evaluate(WIDE_ELEMENTS)
            if small := page.evaluate(SMALL_TARGETS, MIN_TAP):
                found["small"][path] = small
            if mute := page.evaluate(MUTE_BADGES):
                found["mute_badges"][path] = mute
            # axe once, with everything a user can open opened (closed content is a subset).
            page.set_viewport_size(DESKTOP)
            if page.evaluate(OPEN_PANELS):
                _settle(page)
            problems = _blocking(axe.run(page, options=AXE_OPTIONS).response)
            if problems:
                found["axe"][path] = sorted(set(problems))
    finally:
        context.close()
    _swept[role] = found
    if report := os.environ.get("SWEEP_REPORT"):  # the whole finding, for whoever fixes it
        with open(f"{report}-{role}.json", "w", encoding="utf-8") as handle:
            json.dump(found, handle, ensure_ascii=False, indent=1)
    return found


def _settle(page) -> None:
    """Wait until htmx has no request in flight (panels that load themselves, a link's panel)."""
    page.wait_for_load_state("load")
    page.wait_for_function("!window.htmx || !document.querySelector('.htmx-request')")
    page.wait_for_timeout(50)


def _blocking(response: dict) -> list[str]:
    return [
        f"{v['impact']} {v['id']}: {v['help']} — " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        for v in response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.fixture(scope="module")
def sweep(browser, live_server):
    return lambda role: _sweep(browser, live_server, role)


# Routes without parameters that are no screen: JSON, fragments, downloads, the login a signed-in
# user is sent away from.
NOT_SCREENS = {
    "/calendar/days-off", "/healthz", "/login", "/notifications/bell", "/imports/progress/download.xlsx",
    "/reports/export/assignments.xlsx", "/reports/export/proposals.xlsx",
    "/reports/export/assignments.csv", "/reports/export/proposals.csv",
    "/directives/deadline-preview", "/proposals/deadline-preview", "/api/v1/openapi.json",
    "/dashboard/export.xlsx",
}


@pytest.mark.parametrize("role", list(DEMO_ROLES))
def test_the_sweep_covers_the_route_list(sweep, role):
    pages = sweep(role)["pages"]
    # Every page without parameters the role may open was visited, and pages with parameters too.
    assert expected_pages(role) - set(pages) <= NOT_SCREENS
    assert any("<" in route for route in pages)


@pytest.mark.parametrize("role", list(DEMO_ROLES))
def test_no_page_scrolls_sideways_on_a_360px_phone(sweep, role):
    assert sweep(role)["wide"] == {}


@pytest.mark.parametrize("role", list(DEMO_ROLES))
def test_tap_targets_are_at_least_44px_on_a_phone(sweep, role):
    assert sweep(role)["small"] == {}


@pytest.mark.parametrize("role", list(DEMO_ROLES))
def test_axe_finds_no_serious_violation(sweep, role):
    assert sweep(role)["axe"] == {}


@pytest.mark.parametrize("role", list(DEMO_ROLES))
def test_badges_carry_text(sweep, role):
    assert sweep(role)["mute_badges"] == {}


def test_keyboard_focus_on_the_navigation_is_plain_to_see(new_page):
    """Tab from the top: the skip link, then the navigation; each focused link has a 3 px outline."""
    page = new_page()
    log_in(page, "vanphong.demo")
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    for _ in range(3):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.closest('header') !== null, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        assert focused[0] and focused[1] == "solid" and focused[2] >= 3, focused


def _inside_the_screen(locator, width: int) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5 and box["height"] > 0


def test_on_a_phone_the_proposal_list_is_cards_with_state_deadline_and_unit(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        log_in(page, "vanphong.demo")
        page.goto("/proposals/")
        row = page.locator("table.proposals tbody tr").first
        assert page.evaluate("getComputedStyle(document.querySelector('table.proposals tbody tr')).display") == "block"
        for label in ("Xã, phường", "Trạng thái", "Hạn trả lời"):
            cell = row.locator(f'td[data-label="{label}"]')
            assert _inside_the_screen(cell, 390), label
        assert _inside_the_screen(row.locator("td").first.locator("a"), 390)  # the title
        assert _inside_the_screen(row.locator(".badge").first, 390)  # the state, in words
        # The directive roll-up shows both rates on the screen, each with its name.
        page.goto("/directives")
        page.locator("main table tbody a").first.click()
        for rate in ("completion", "on_time"):
            cell = page.locator(f'#rollup td[data-rate="{rate}"]')
            assert _inside_the_screen(cell, 390), rate
            assert cell.get_attribute("data-label")
    finally:
        context.close()
