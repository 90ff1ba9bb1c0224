"""Start-up checks of the settings against how the server runs the app (see gunicorn.conf.py).

Messages are for operators reading the server's log: English, one line each.
"""


def worker_warnings(config, workers: int, worker_timeout: float) -> list[str]:
    """What does not fit a server running `workers` processes that are killed after `worker_timeout` s."""
    warnings = []
    if workers > 1 and config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        warnings.append(
            f"RATELIMIT_STORAGE_URI is memory:// with {workers} workers: each worker counts login "
            f"attempts on its own, so one client may try up to {workers} x LOGIN_RATE_LIMIT "
            f"({config['LOGIN_RATE_LIMIT']}); set CACHE_REDIS_URL (or RATELIMIT_STORAGE_URI) to a shared Redis "
            "(e.g. redis://127.0.0.1:6379) to count them once."
        )
    if worker_timeout and config["PDF_TIMEOUT_SECONDS"] >= worker_timeout:
        warnings.append(
            f"PDF_TIMEOUT_SECONDS ({config['PDF_TIMEOUT_SECONDS']:g}) is not under the worker "
            f"timeout ({worker_timeout:g} s): a slow PDF gets its worker killed (an error page) "
            "before its own time limit can answer with a message; lower it or raise --timeout."
        )
    return warnings
