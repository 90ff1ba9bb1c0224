"""gunicorn reads this file from the directory it is started in (the README's command runs it
from the repository). Only start-up checks live here; settings stay on the command line."""


def post_worker_init(worker):
    """Warn once, from the first worker, about settings that do not fit this server."""
    config = getattr(worker.wsgi, "config", None)
    if worker.age != 1 or config is None:
        return
    from app.serving import worker_warnings

    for message in worker_warnings(config, worker.cfg.workers, worker.cfg.timeout):
        worker.log.warning(message)
