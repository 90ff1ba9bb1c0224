"""The directive page's row filter (rollups.filter_rows), moved out of the view: pure Python."""

from types import SimpleNamespace

from app.directives import rollups, status, workflow


def _row(unit_name_folded, key, state=workflow.IN_PROGRESS, role=workflow.LEAD):
    return SimpleNamespace(
        unit=SimpleNamespace(name_folded=unit_name_folded),
        status=SimpleNamespace(key=key),
        assignment=SimpleNamespace(state=state, role=role),
    )


ROWS = [
    _row("xa ia boong", status.DONE_ON_TIME, workflow.DONE),
    _row("phuong pleiku", status.OPEN_OVERDUE, workflow.AWAITING_CONFIRMATION, workflow.SUPPORT),
    _row("so xay dung", status.OPEN_ON_TIME),
]


def test_no_filter_keeps_every_row():
    assert rollups.filter_rows(ROWS) == ROWS
    assert rollups.filter_rows(ROWS, "nonsense", "nonsense", "") == ROWS


def test_status_awaiting_role_and_unit_search_narrow_the_rows():
    assert rollups.filter_rows(ROWS, status.OPEN_OVERDUE) == [ROWS[1]]
    assert rollups.filter_rows(ROWS, rollups.ROWS_AWAITING) == [ROWS[1]]
    assert rollups.filter_rows(ROWS, role=workflow.LEAD) == [ROWS[0], ROWS[2]]
    assert rollups.filter_rows(ROWS, unit_q="Boòng Ia") == [ROWS[0]]
    assert rollups.filter_rows(ROWS, status.OPEN_ON_TIME, workflow.LEAD, "xay") == [ROWS[2]]
