"""docs/architecture.md stays true: every module and folder it names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_every_path_the_map_names_exists():
    paths = set(re.findall(r"`((?:app|templates|tests|docs)/[\w./<>-]+)`", DOC))
    assert len(paths) > 20
    missing = [p for p in sorted(paths) if "<" not in p and not (ROOT / p).exists()]
    assert missing == []


def test_every_module_of_a_package_row_exists():
    missing = []
    for package, modules in re.findall(r"^\| `app/(\w+)` \| (.*) \|$", DOC, re.M):
        assert (ROOT / "app" / package).is_dir(), package
        for module in re.findall(r"`(\w+)`", modules):
            if module[0].islower() and not (ROOT / "app" / package / f"{module}.py").exists():
                missing.append(f"app/{package}/{module}.py")
    assert missing == []


def test_every_package_of_app_is_on_the_map():
    packages = {p.name for p in (ROOT / "app").iterdir() if (p / "__init__.py").exists()}
    assert {p for p in packages if f"`app/{p}`" not in DOC} == set()
