"""Labels are marked one way: flask_babel's lazy_gettext (_l), never a home-made N_ marker.

A lazy string is translated wherever it is shown, but it is not a str: json.dumps refuses it
and a database column or a spreadsheet cell cannot take it. So wherever a label is stored or
exported the code takes str(label); these tests pin the marking and the errors' text.
"""

import ast
import json
from datetime import date
from pathlib import Path

import pytest
from flask_babel.speaklater import LazyString

from app.dashboard import period
from app.directives import issuing, progress, status, workflow
from app.service_error import ServiceError

APP = Path(__file__).resolve().parent.parent / "app"

TABLES = {
    "status.LABELS": status.LABELS,
    "status.REPORTING_PERIOD_LABELS": status.REPORTING_PERIOD_LABELS,
    "workflow.STATE_LABELS": workflow.STATE_LABELS,
    "workflow.ROLE_LABELS": workflow.ROLE_LABELS,
    "workflow.EXTENSION_STATE_LABELS": workflow.EXTENSION_STATE_LABELS,
    "period.LABELS": period.LABELS,
    "progress.EVENT_LABELS": progress.EVENT_LABELS,
    "issuing.DIRECTIVE_EVENT_LABELS": issuing.DIRECTIVE_EVENT_LABELS,
    "issuing.DIRECTIVE_FIELD_LABELS": issuing.DIRECTIVE_FIELD_LABELS,
}


def _names(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id, node.lineno
        elif isinstance(node, ast.Attribute):
            yield node.attr, node.lineno
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name, node.lineno
        elif isinstance(node, ast.alias):
            yield node.asname or node.name, getattr(node, "lineno", 0)


def test_no_module_defines_or_uses_N_():
    found = [
        f"{path.relative_to(APP.parent)}:{line}"
        for path in sorted(APP.rglob("*.py"))
        for name, line in _names(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        if name == "N_"
    ]
    assert found == []


@pytest.mark.parametrize("name", sorted(TABLES))
def test_label_tables_hold_lazy_strings_that_render_as_vietnamese(app, name):
    with app.test_request_context():
        for key, label in TABLES[name].items():
            assert isinstance(label, LazyString), (name, key)
            text = str(label)
            assert type(text) is str and text.strip(), (name, key)
            assert any(ord(c) > 127 for c in text), (name, key, text)  # Vietnamese, with its marks


def test_labels_render_their_vietnamese_text(app):
    with app.test_request_context():
        assert str(status.LABELS[status.DONE_ON_TIME]) == "Hoàn thành đúng hạn"
        assert str(status.DUE_SOON_LABEL) == "Sắp đến hạn"
        assert str(workflow.STATE_LABELS[workflow.IN_PROGRESS]) == "Đang thực hiện"
        assert str(workflow.ROLE_LABELS[workflow.LEAD]) == "Chủ trì"
        assert str(period.LABELS[period.MONTH]) == "Tháng này"


def test_a_label_is_stored_as_its_text(app):
    label = status.LABELS[status.ONGOING]
    with app.test_request_context():
        with pytest.raises(TypeError):
            json.dumps({"deadline": label})  # the trap: a lazy string is not JSON
        assert json.loads(json.dumps({"deadline": str(label)})) == {"deadline": "Thường xuyên"}


def test_errors_give_their_message_as_text(app):
    with app.test_request_context():
        refused = workflow.WorkflowError(workflow._STATE_REFUSALS[workflow.RESUME])
        assert str(refused) == "Nhiệm vụ không ở trạng thái tạm hoãn."
        service = ServiceError(refused.message, field="note")
        assert type(str(service)) is str and str(service) == str(refused)
        with pytest.raises(period.PeriodError) as raised:
            period.resolve(period.CUSTOM, date(2026, 12, 2), None, None)
        assert str(raised.value) == "Nhập cả ngày bắt đầu và ngày kết thúc."
