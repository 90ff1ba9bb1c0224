"""The API reference renders in a real browser from our own files, under the site's CSP, without JavaScript."""


def test_the_reference_renders_without_breaking_the_csp(new_page, live_server):
    page = new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    assert "Tài liệu API Giao Ban" in page.inner_text("h1")
    page.get_by_role("link", name="GET /api/v1/proposals").first.click()
    assert page.url.endswith("#GET-api-v1-proposals")
    assert page.locator("#GET-api-v1-proposals").is_visible()
    assert not [p for p in problems if "Content Security Policy" in p or "failed:" in p], problems
    assert all(url.startswith(live_server) for url in requested), requested  # no CDN
    document = page.get_attribute("#openapi-link", "href")
    assert page.request.get(live_server + document).json()["openapi"].startswith("3.")
