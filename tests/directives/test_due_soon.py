""""Sắp đến hạn": a filter of the assignments list and a panel on each unit's home."""

from tests.directives.conftest import days


def test_due_soon_assignments_filter_and_unit_home_panel(app, login_as, make_directive, assign, assignment_of,
                                                         set_assignment):
    soon = make_directive(title="Việc hạn gần", deadline=days(2))
    later = make_directive(title="Việc hạn xa", deadline=days(25))
    late = make_directive(title="Việc đã quá hạn", deadline=days(10))
    for directive_id in (soon, later, late):
        assign(directive_id, ["Xã Ia Boòng"])
    set_assignment(assignment_of(late, "Xã Ia Boòng"), original_deadline=days(-1))
    client = login_as("commune_a")
    listed = client.get("/assignments?status=due_soon").get_data(as_text=True)
    assert "Việc hạn gần" in listed and "Việc hạn xa" not in listed and "Việc đã quá hạn" not in listed
    assert '<option selected value="due_soon">Sắp đến hạn</option>' in listed
    home = client.get("/").get_data(as_text=True)
    panel = home.split('data-panel="due_soon"', 1)[1].split("</article>", 1)[0]
    assert "Nhiệm vụ sắp đến hạn (trong 3 ngày tới)" in panel and "data-panel-total>1<" in panel
    assert "Việc hạn gần" in panel and "Việc hạn xa" not in panel
