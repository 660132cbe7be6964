"""The public JSON API at /api/v1, described by a generated OpenAPI 3.1 document at /api/v1/openapi.json.

Built with flask-smorest: marshmallow schemas declared once validate requests, shape responses and generate
the document. Resources live in crm/api/resources/, one module per topic; webhooks in crm/api/webhooks/.
"""

from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from crm.api import labels  # noqa: F401 - registers the labels of this package's audit actions
from crm.api.http import ApiError, ErrorSchema, error_response, http_error_response, is_api_request
from crm.core import errors as core_errors


class CabildeoApi(Api):
    ERROR_SCHEMA = ErrorSchema


def init_app(app: Flask) -> None:
    # Imported here: the resource modules import the domains, which import this package's parents first.
    from crm.api import views, webhooks

    app.config.setdefault("API_TITLE", "Cabildeo API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "security": [{"token": []}],
        "info": {"description": "Personal access tokens: Authorization: Bearer cbd_…. See docs/api.md."},
    })
    api = CabildeoApi(app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=_schema_name)})
    api.spec.components.security_scheme("token", {"type": "http", "scheme": "bearer"})
    for blueprint in views.BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(views.pages)
    webhooks.connect()

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.field, error.headers, error.errors)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # Replaces flask-smorest's handler: JSON on API paths, the usual response everywhere else.
        if is_api_request():
            return http_error_response(error)
        return error

    core_errors.json_renderer = lambda code: http_error_response(_exception_for(code)) if is_api_request() else None


def _schema_name(schema) -> str:
    """Component names without the "Schema" suffix; a partial (PATCH) variant is named "<Name>Patch"."""
    cls = resolve_schema_cls(schema)
    name = cls.__name__.removesuffix("Schema")
    return f"{name}Patch" if getattr(schema, "partial", False) else name


def _exception_for(code: int) -> HTTPException:
    from werkzeug.exceptions import default_exceptions

    error = default_exceptions.get(code, default_exceptions[500])()
    if code == 405 and request.url_rule is None:
        error.valid_methods = None
    return error
