"""Take docs/screenshots/: each role's home and main form, on an office PC (1366 px) and a phone (390 px).

A fresh demo site under gunicorn (as the browser tests start it), Debian's Chromium, the demo
accounts. Run from the repository after `make install`:

    make screenshots        # or: .venv/bin/python tools/screenshots.py [output folder]

Files are named <role>-<page>-<width>.png; the whole page is taken, not only the first screen.
The README's two pictures (docs/screenshot.png: the office's home; docs/dashboard.png: the
leader's dashboard) are the first screen at 1280 × 900, retaken by the same run.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, log_in  # noqa: E402
from tests.live_server import serve_demo  # noqa: E402

WIDTHS = {1366: 900, 390: 844}
# docs/<file>: (demo account, path), first screen at 1280 × 900
README_SHOTS = {"screenshot.png": ("vanphong.demo", "/"), "dashboard.png": ("lanhdao.demo", "/dashboard/")}
# role: (demo account, [(page name, path, or (list path, link prefix) to open its first item)])
SHOTS = {
    "commune": ("xa.demo", [("home", "/"), ("form", "/proposals/new")]),
    "department": ("so.demo", [("home", "/"), ("form", ("/assignments", "/assignments/"))]),
    "coordinator": ("vanphong.demo", [("home", "/"), ("form", "/directives/new")]),
    "leader": ("lanhdao.demo", [("home", "/"), ("form", "/dashboard/")]),
    "admin": ("quantri.demo", [("home", "/"), ("form", "/admin/users/new")]),
}


def resolve(page, target) -> str:
    """A path, or the first link under prefix on a list page (a real item of the demo data)."""
    if isinstance(target, str):
        return target
    listing, prefix = target
    page.goto(listing)
    return page.locator(f'main a[href^="{prefix}"]').first.get_attribute("href")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve_demo(Path(tmp)) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role, (username, pages) in SHOTS.items():
            for width, height in WIDTHS.items():
                context = browser.new_context(base_url=base_url, locale="vi-VN", viewport={"width": width, "height": height},
                                              device_scale_factor=1)
                page = context.new_page()
                log_in(page, username)
                for name, target in pages:
                    page.goto(resolve(page, target))
                    page.wait_for_load_state("networkidle")
                    path = out / f"{role}-{name}-{width}.png"
                    page.screenshot(path=path, full_page=True)
                    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
                context.close()
        for file_name, (username, path) in README_SHOTS.items():
            context = browser.new_context(base_url=base_url, locale="vi-VN", viewport={"width": 1280, "height": 900},
                                          device_scale_factor=1)
            page = context.new_page()
            log_in(page, username)
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=ROOT / "docs" / file_name)
            print(f"docs/{file_name}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
