"""flask-smorest set up for an app that already has its own error pages.

flask-smorest is an extension on a plain Flask app and its blueprints (APIFlask would
replace the Flask class; spectree has no blueprint-level grouping of the document), and it
builds the OpenAPI 3 document from the same marshmallow schemas that validate requests.
Two of its defaults are changed here: its app-wide JSON error handler would answer the
site's pages too (ours stays on the API blueprint, app.api.problems), and its error
responses are documented as RFC 9457 problem details.
"""

from __future__ import annotations

import http

from apispec.ext.marshmallow import MarshmallowPlugin  # noqa: F401  (flask-smorest's own plugin)
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

PROBLEM_CONTENT_TYPE = "application/problem+json"


class FieldError(Schema):
    field = fields.String(allow_none=True, required=True)
    message = fields.String(required=True, metadata={"description": "Vietnamese"})
    message_en = fields.String(required=True, metadata={"description": "English"})


class ProblemSchema(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True, metadata={"description": "Vietnamese"})
    title_en = fields.String(required=True, metadata={"description": "English"})
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.List(fields.Nested(FieldError))


class ProblemApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Leave the site's error pages alone: app.api.routes registers the API's own."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Problem details (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def spec_kwargs() -> dict:
    return {
        "info": {
            "description": (
                "Giao Ban's API for the province's other systems. Every request carries an API token "
                "(Authorization: Bearer gb_...) and acts as the token's user: it sees exactly what that "
                "user sees in the site (404 otherwise). Writes accept Idempotency-Key and If-Match. "
                "Errors are RFC 9457 problem details, title in Vietnamese, title_en in English."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
    }


def init_api(app, api: ProblemApi) -> None:
    api.init_app(app, spec_kwargs=spec_kwargs())
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
