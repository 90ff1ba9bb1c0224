"""A PDF that is not laid out within PDF_TIMEOUT_SECONDS: a message in Vietnamese, not a 500."""


def test_a_pdf_past_its_time_limit_gets_a_page_offering_word_and_print(app, as_user):
    app.config["PDF_TIMEOUT_SECONDS"] = 0.001
    client = as_user("coordinator")

    response = client.get("/reports/weekly.pdf?on=2026-01-05")
    page = response.get_data(as_text=True)

    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"] == "60"
    assert "Chưa tạo được tệp PDF" in page
    assert "Thử lại sau ít phút" in page
    assert 'href="/reports/weekly.docx?on=2026-01-05"' in page
    assert 'href="/reports/weekly?on=2026-01-05"' in page
    # Within the limit, the same report is a PDF.
    app.config["PDF_TIMEOUT_SECONDS"] = 60
    response = client.get("/reports/weekly.pdf?on=2026-01-05")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
