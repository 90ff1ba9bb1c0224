"""Giao Ban: follow-up of the province's briefing meetings."""

import os

from flask import Flask

from app.config import configure


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; each step below is one small init_* helper."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    configure(app, test_config)
    app.json.ensure_ascii = False  # audit before/after shows Vietnamese as written
    init_urls(app)
    init_extensions(app)
    init_instrumentation(app)
    init_templates(app)
    init_security(app)
    init_proxies(app)
    register_blueprints(app)
    register_api(app)
    register_commands(app)
    init_static(app)
    return app


def init_urls(app: Flask) -> None:
    from app.urls import install

    install(app)  # before any blueprint adds a rule


def init_extensions(app: Flask) -> None:
    from app import idempotency, models  # noqa: F401  (register the core tables)
    from app.api import models as api_models  # noqa: F401
    from app.auth.session import init_login
    from app.database import init_database
    from app.delegation import models as delegation_models  # noqa: F401
    from app.directives import models as directive_models  # noqa: F401
    from app.docjobs import models as docjob_models  # noqa: F401
    from app.extensions import babel, cache, csrf, db, limiter, migrate
    from app.i18n import init_babel
    from app.imports import models as import_models  # noqa: F401
    from app.proposals import models as proposal_models  # noqa: F401
    from app.saved_lists import models as saved_list_models  # noqa: F401

    init_database(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    init_babel(app, babel)
    cache.init_app(app)
    limiter.init_app(app)
    init_login(app)


def init_instrumentation(app: Flask) -> None:
    from app.benchdata.querycount import init_query_count

    init_query_count(app)  # off unless BENCH_QUERY_COUNT is set


def init_templates(app: Flask) -> None:
    from app.formatting import FILTERS
    from app.navigation import inject_navigation
    from app.rates import rate_html

    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals["rate"] = rate_html  # every rate on every page (app/rates.py)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(inject_navigation)


def init_static(app: Flask) -> None:
    from app.static_files import init_static_files

    init_static_files(app)  # content-hashed names, cached for a year


def init_security(app: Flask) -> None:
    from app.errors import register_error_handlers
    from app.security import add_security_headers

    app.after_request(add_security_headers)
    register_error_handlers(app)


def init_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, read the client's address, scheme and host from them.

    Off by default: without a proxy anyone could send X-Forwarded-For and choose the address
    their login attempts are counted by (Flask-Limiter keys on remote_addr) and audited under.
    """
    from werkzeug.middleware.proxy_fix import ProxyFix

    proxies = app.config["TRUSTED_PROXIES"]
    if proxies < 0:
        raise ValueError(f"TRUSTED_PROXIES must be 0 (no proxy) or the number of proxies, not {proxies}")
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin_bp
    from app.attachments.routes import bp as attachments_bp
    from app.auth.routes import bp as auth_bp
    from app.conclusions.routes import bp as conclusions_bp
    from app.dashboard.routes import bp as dashboard_bp
    from app.days_off.routes import bp as days_off_bp
    from app.delegation.routes import bp as delegation_bp
    from app.directives.routes import bp as directives_bp
    from app.docjobs.routes import bp as docjobs_bp
    from app.imports.routes import bp as imports_bp
    from app.main.routes import bp as main_bp
    from app.meetings.routes import bp as meetings_bp
    from app.notifications.routes import bp as notifications_bp
    from app.proposals.routes import bp as proposals_bp
    from app.reports.routes import bp as reports_bp
    from app.saved_lists.routes import bp as saved_lists_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(days_off_bp, url_prefix="/admin/days-off")
    app.register_blueprint(attachments_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(conclusions_bp)
    app.register_blueprint(directives_bp)
    app.register_blueprint(proposals_bp, url_prefix="/proposals")
    app.register_blueprint(imports_bp)
    app.register_blueprint(dashboard_bp, url_prefix="/dashboard")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(docjobs_bp)
    app.register_blueprint(saved_lists_bp)
    app.register_blueprint(delegation_bp)


def register_api(app: Flask) -> None:
    """The JSON API (app/api): token-only, so exempt from CSRF; its docs; the token screens."""
    from app.api import writes  # noqa: F401  (the writes' routes, on the API blueprint)
    from app.api.docs import bp as api_docs_bp
    from app.api.routes import bp as api_bp
    from app.api.spec import init_api
    from app.api.token_routes import bp as api_tokens_bp
    from app.api.webhooks import init_webhooks
    from app.extensions import api, csrf

    init_api(app, api)
    csrf.exempt(api_bp)  # app.api.auth answers 401 to anything without a token, cookies included
    api.register_blueprint(api_bp)
    app.register_blueprint(api_docs_bp)
    app.register_blueprint(api_tokens_bp)
    init_webhooks(app)


def register_commands(app: Flask) -> None:
    from app.benchdata.cli import register as register_bench_commands
    from app.cli import register
    from app.notifications.cli import register as register_notification_commands

    register(app)
    register_notification_commands(app)
    register_bench_commands(app)
