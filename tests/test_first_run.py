"""A newcomer's first ten minutes (issue 15, 9): `make run PORT=...`, docs that stand alone in a
clone, and a second `make run` that prints the same short summary as the first."""

import re
import subprocess
import sys

from tests.live_server import ROOT, demo_env

LINK = re.compile(r"\]\(([^)#\s]+)[^)]*\)|`(\.\./[^`]+)`")


def test_make_run_takes_a_port():
    commands = subprocess.run(
        ["make", "-n", "-W", ".venv/.installed", "run", "PORT=5101"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "flask run --host 127.0.0.1 --port 5101" in commands
    default = subprocess.run(["make", "-n", "-W", ".venv/.installed", "run"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
    assert "--port 5000" in default


def test_readme_and_docs_link_only_files_of_the_repository():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text, page.name
        for match in LINK.finditer(text):
            target = match.group(1) or match.group(2)
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (page.parent / target).exists(), f"{page.name} links {target}, which a clone does not have"


def _demo(env) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "demo"], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    return done.stdout + done.stderr


def test_a_second_demo_run_is_as_quiet_and_names_units_like_the_first(tmp_path):
    env = demo_env(tmp_path)
    first, second = _demo(env), _demo(env)
    for output in (first, second):
        assert "INFO" not in output and "alembic" not in output
        assert re.search(r"^  so\.demo +department +Sở Xây dựng$", output, re.MULTILINE), output
        assert re.search(r"^  vanphong\.demo +coordinator +Văn phòng Tỉnh ủy$", output, re.MULTILINE), output
    accounts = lambda out: out.split("Demo accounts:", 1)[1]  # noqa: E731
    assert accounts(first) == accounts(second)
    assert "135 unchanged" in second
