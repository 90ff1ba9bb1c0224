"""A release elsewhere cannot break the build: every range has a ceiling, the linter is pinned
exactly, and requirements.lock pins every package the project needs to one version."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements() -> list[Requirement]:
    lists = [PROJECT["dependencies"], *PROJECT["optional-dependencies"].values()]
    return [Requirement(line) for deps in lists for line in deps]


def locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {canonicalize_name(m.group(1)): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def test_every_dependency_has_a_ceiling():
    open_ended = [str(r) for r in requirements()
                  if not any(s.operator in ("<", "==", "~=") for s in r.specifier)]
    assert open_ended == []


def test_the_linter_is_pinned_exactly():
    ruff = next(r for r in requirements() if r.name == "ruff")
    assert [s.operator for s in ruff.specifier] == ["=="]


def test_the_lock_pins_every_dependency_within_its_range():
    pins = locked()
    outside = [f"{r} (locked {pins.get(canonicalize_name(r.name))})" for r in requirements()
               if pins.get(canonicalize_name(r.name)) is None
               or not r.specifier.contains(pins[canonicalize_name(r.name)], prereleases=True)]
    assert outside == []


def test_make_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-r requirements.lock" in makefile and "--no-deps -e" in makefile
