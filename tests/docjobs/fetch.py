"""Take a document the way a user does: press its button (POST), follow the job, download."""

import re
import time
from urllib.parse import urlsplit

JOB_URL = re.compile(r"^/documents/jobs/(\d+)$")


def job_id_of(response) -> int:
    """The job a document button's answer leads to (303 to its page)."""
    assert response.status_code == 303, (response.status_code, response.get_data(as_text=True)[:500])
    location = urlsplit(response.headers["Location"]).path
    match = JOB_URL.match(location)
    assert match, location
    return int(match.group(1))


def wait_for_job(client, job_id: int, attempts: int = 600):
    """The job's page once it is no longer under way (polled as htmx does; each poll ~0.1 s)."""
    for _ in range(attempts):
        page = client.get(f"/documents/jobs/{job_id}", headers={"HX-Request": "true"})
        assert page.status_code == 200, page.status_code
        if "hx-trigger" not in page.get_data(as_text=True):
            return page
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still under way")


def fetch_document(client, url: str):
    """The file behind a document URL, or the refusal its button gets (403, 404, 400...)."""
    started = client.post(url)
    if started.status_code != 303:
        return started
    job_id = job_id_of(started)
    wait_for_job(client, job_id)
    return read_file(client, job_id)


def read_file(client, job_id: int):
    """The job's download, read whole and closed (its file is streamed from disk)."""
    response = client.get(f"/documents/jobs/{job_id}/file")
    response.get_data()
    response.close()
    return response
