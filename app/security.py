"""HTTP security headers added to every response."""

from flask import current_app


def add_security_headers(response):
    """Set CSP and the usual hardening headers; htmx may come from its CDN."""
    script_src = "'self'"
    if current_app.config.get("HTMX_USE_CDN"):
        # Only the pinned htmx file from its CDN (the page also checks its integrity hash).
        script_src += " " + current_app.config["HTMX_CDN_URL"]
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src {script_src}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; "
        "font-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
