"""The one clock: pinning, the province's day around midnight, and no other reader of real time."""

import ast
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import clock
from tests.conftest import suite_day

ROOT = Path(__file__).resolve().parents[1]
VN = dt.timezone(dt.timedelta(hours=7))

# Calls that read the real clock; only app/clock.py may make them.
REAL_CLOCK_CALLS = {
    ("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
    ("time", "time"), ("time", "localtime"), ("time", "gmtime"), ("time", "time_ns"),
}


def _real_clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in REAL_CLOCK_CALLS:
                found.append(f"{path}:{node.lineno} {name}.{node.func.attr}()")
    return found


def test_nothing_but_the_clock_module_reads_the_real_clock():
    sources = [p for folder in ("app", "tests", "bench", "tools") for p in (ROOT / folder).rglob("*.py")]
    sources += [ROOT / "wsgi.py"]
    reads = [hit for path in sources if path != ROOT / "app" / "clock.py" for hit in _real_clock_reads(path)]
    assert reads == []


def test_the_checker_sees_a_real_clock_read(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime\nx = datetime.date.today()\ny = datetime.datetime.now()\n", encoding="utf-8")
    assert len(_real_clock_reads(sample)) == 2


def test_the_suite_runs_on_its_pinned_day_not_the_real_one():
    assert clock.is_pinned()
    assert clock.today() == clock.local_date(clock.parse_moment(suite_day()))


def test_a_pinned_clock_runs_on_from_the_pinned_moment(pin_today):
    start = pin_today(dt.datetime(2027, 2, 5, 23, 0, tzinfo=VN))
    first, second = clock.now(), clock.now()
    assert start <= first <= second < start + dt.timedelta(minutes=5)
    assert clock.today() == dt.date(2027, 2, 5)


def test_a_pinned_day_starts_at_nine_in_the_province(pin_today):
    pin_today(dt.date(2026, 4, 29))
    assert clock.local_now().replace(microsecond=0, second=0) == dt.datetime(2026, 4, 29, 9, 0, tzinfo=VN)


@pytest.mark.parametrize(("utc", "day"), [
    (dt.datetime(2026, 12, 31, 16, 59, tzinfo=dt.UTC), dt.date(2026, 12, 31)),
    (dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC), dt.date(2027, 1, 1)),  # New Year in Gia Lai
    (dt.datetime(2026, 12, 31, 17, 0), dt.date(2027, 1, 1)),  # naive: taken as UTC
])
def test_the_provinces_day_of_a_moment(utc, day):
    assert clock.local_date(utc) == day


def test_after_midnight_in_the_province_today_is_the_new_day_while_utc_is_not(pin_today):
    pin_today("2027-01-01T00:30:00+07:00")
    assert clock.now().date() == dt.date(2026, 12, 31)
    assert clock.today() == dt.date(2027, 1, 1)
    assert clock.start_of_day(clock.today()) == dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC)


def test_a_process_started_with_the_pin_variable_takes_that_day():
    env = {**os.environ, clock.PIN_ENV: "2027-02-05"}
    out = subprocess.run([sys.executable, "-c", "from app import clock; print(clock.today().isoformat())"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2027-02-05"
