"""The load script itself keeps working: a small run against a real gunicorn on SQLite."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_load_script_small_run_stores_everything_it_accepted():
    result = subprocess.run(
        [sys.executable, "bench/load.py", "--per-commune", "1", "--concurrency", "8", "--workers", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "proposals: sent 135, accepted 135, stored 135, lost 0" in result.stdout
    assert "reports: sent 135, accepted 135, stored 135, lost 0" in result.stdout
    assert "RESULT: PASS" in result.stdout
