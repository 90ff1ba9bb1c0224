"""A PDF that is not laid out within PDF_TIMEOUT_SECONDS: its job fails with a message in
Vietnamese (never a 500), and the same report within the limit is a PDF."""

from tests.docjobs.fetch import fetch_document, job_id_of, wait_for_job


def test_a_pdf_past_its_time_limit_ends_its_job_with_a_message(app, as_user):
    app.config["PDF_TIMEOUT_SECONDS"] = 0.001
    client = as_user("coordinator")

    job_id = job_id_of(client.post("/reports/weekly.pdf?on=2026-01-05"))
    page = wait_for_job(client, job_id).get_data(as_text=True)

    assert "Tài liệu chưa tạo xong trong 0,001 giây nên đã dừng" in page
    assert "Xin thử lại sau ít phút" in page
    assert client.get(f"/documents/jobs/{job_id}/file").status_code == 404
    # Within the limit, the same report is a PDF (the failed job is not served again).
    app.config["PDF_TIMEOUT_SECONDS"] = 60
    response = fetch_document(client, "/reports/weekly.pdf?on=2026-01-05")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
