"""The API reference page's content, read from the OpenAPI document the API serves.

The page is drawn by our own templates on the server (no third-party script), so it works
without JavaScript, follows the site's styles and accessibility rules, and can never
disagree with /api/v1/openapi.json: both come from the same document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

METHODS = ("get", "post", "put", "patch", "delete")
PLACES = {"path": _l("đường dẫn"), "query": _l("chuỗi truy vấn"), "header": _l("tiêu đề"), "cookie": "cookie"}


@dataclass(frozen=True)
class TypeText:
    """A schema's type in words; ref names the component schema it points to, if any."""

    text: str
    ref: str | None = None


@dataclass
class Row:
    name: str
    type: TypeText
    required: bool
    notes: str = ""
    place: str = ""


@dataclass
class Response:
    status: str
    description: str
    type: TypeText | None


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Row] = field(default_factory=list)
    body: TypeText | None = None
    responses: list[Response] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.method}-" + "".join(c if c.isalnum() else "-" for c in self.path).strip("-")


@dataclass
class SchemaDoc:
    name: str
    description: str
    fields: list[Row]
    type: TypeText | None = None  # a schema that is not an object (a list, a plain value)

    @property
    def anchor(self) -> str:
        return f"schema-{self.name}"


@dataclass
class Reference:
    title: str
    version: str
    description: str
    operations: list[Operation]
    schemas: list[SchemaDoc]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict | None) -> TypeText:
    """"string (date)", "integer", "array of ProposalOut" (pointing at it)."""
    if not schema:
        return TypeText("")
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return TypeText(name, name)
    for combined in ("allOf", "oneOf", "anyOf"):
        if schema.get(combined):
            return type_of(schema[combined][0])
    kind = schema.get("type", "object")
    if kind == "array":
        inner = type_of(schema.get("items"))
        return TypeText(_("danh sách %(item)s", item=inner.text).strip(), inner.ref)
    text = f"{kind} ({schema['format']})" if schema.get("format") else kind
    return TypeText(text)


def notes_of(schema: dict | None, description: str = "") -> str:
    """What else a value must be: its description, allowed values, limits, default."""
    schema = schema or {}
    parts = [description or schema.get("description", "")]
    if schema.get("enum"):
        parts.append(_("một trong: %(values)s", values=", ".join(str(v) for v in schema["enum"])))
    labels = {"minLength": _l("ít nhất %(v)s ký tự"), "maxLength": _l("tối đa %(v)s ký tự"),
              "minimum": _l("nhỏ nhất %(v)s"), "maximum": _l("lớn nhất %(v)s"), "default": _l("mặc định: %(v)s")}
    for key, label in labels.items():
        if key in schema:
            value = schema[key]
            parts.append(str(label) % {"v": str(value).lower() if isinstance(value, bool) else value})
    if schema.get("nullable"):
        parts.append(_("có thể để null"))
    if schema.get("readOnly"):
        parts.append(_("chỉ đọc"))
    return "; ".join(p for p in parts if p)


def _content_type(content: dict | None) -> TypeText | None:
    for media in (content or {}).values():
        return type_of(media.get("schema"))
    return None


def _resolve(item: dict, components: dict, kind: str) -> dict:
    if "$ref" in item:
        return components.get(kind, {}).get(_ref_name(item["$ref"]), {})
    return item


def _parameter(item: dict) -> Row:
    return Row(item["name"], type_of(item.get("schema")), bool(item.get("required")),
               notes_of(item.get("schema"), item.get("description", "")), PLACES.get(item.get("in"), item.get("in", "")))


def _operation(path: str, method: str, item: dict, shared: list[dict], components: dict) -> Operation:
    parameters = [_resolve(p, components, "parameters") for p in (*shared, *item.get("parameters", []))]
    body = _resolve(item["requestBody"], components, "requestBodies") if "requestBody" in item else None
    responses = []
    for status in sorted(item.get("responses", {}), key=lambda s: (s == "default", s)):
        response = _resolve(item["responses"][status], components, "responses")
        responses.append(Response(status, response.get("description", ""), _content_type(response.get("content"))))
    return Operation(method.upper(), path, item.get("summary", ""), item.get("description", ""),
                     [_parameter(p) for p in parameters], _content_type(body.get("content")) if body else None,
                     responses)


def _schema(name: str, schema: dict) -> SchemaDoc:
    required = set(schema.get("required", []))
    rows = [Row(key, type_of(value), key in required, notes_of(value))
            for key, value in schema.get("properties", {}).items()]
    plain = None if schema.get("type", "object") == "object" and "$ref" not in schema else type_of(schema)
    return SchemaDoc(name, schema.get("description", ""), rows, plain)


def build(spec: dict) -> Reference:
    """The reference of an OpenAPI 3 document: every operation in path order, then every schema."""
    components = spec.get("components", {})
    operations = []
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        operations += [_operation(path, m, item[m], shared, components) for m in METHODS if m in item]
    schemas = [_schema(name, schema) for name, schema in sorted(components.get("schemas", {}).items())]
    info = spec.get("info", {})
    return Reference(info.get("title", ""), info.get("version", ""), info.get("description", ""), operations, schemas)
