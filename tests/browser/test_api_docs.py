"""The API's browsable docs render in a real browser from our own files, under the site's CSP."""


def test_the_docs_render_without_breaking_the_csp(new_page, live_server):
    page = new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Giao Ban API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector('.opblock-summary-path[data-path="/api/v1/proposals"]')
    assert not [p for p in problems if "Content Security Policy" in p or "failed:" in p], problems
    assert all(url.startswith(live_server) for url in requested), requested  # no CDN
