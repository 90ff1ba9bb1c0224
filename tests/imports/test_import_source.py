"""The workbook an import came from: kept, linked from each imported item's timeline, and
downloadable only by its importer, the office, the admin, or who sees every item it made."""

import os
import re

from sqlalchemy import select

from app.directives.models import Assignment, AssignmentEvent, Directive, DirectiveEvent
from app.extensions import db
from app.imports.models import ImportBatch
from app.models import Attachment
from app.proposals.models import Proposal, ProposalEvent
from tests.imports.conftest import (
    DIRECTIVE_HEADERS,
    PROPOSAL_HEADERS,
    in_days,
    token_of,
    upload,
    xlsx,
)
from tests.imports.test_progress_round_trip import COMPLETE, DOWNLOAD, PERCENT, TEXT, fill
from tests.imports.test_proposals_import import CLEAN_ROWS, _meeting

SOURCE_LINK = re.compile(r'href="(/imports/sources/(\d+))"[^>]*>Tải tệp nguồn<')


def _confirmed(client, url, data, name):
    token = token_of(upload(client, url, data, name))
    assert client.post(f"/imports/batches/{token}/confirm").status_code == 303
    return token


def _ids(app, model, order=None) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(model.id).order_by(order or model.id)))


def _source_link(page: str) -> str:
    match = SOURCE_LINK.search(page)
    assert match, "no link to the source file on the timeline"
    return match.group(1)


def _get(client, link) -> tuple[int, bytes]:
    """(status, body) of a download, its file closed (send_file streams it)."""
    response = client.get(link)
    try:
        return response.status_code, response.data
    finally:
        response.close()


def _stored_files(app, token) -> list[Attachment]:
    with app.app_context():
        batch_id = db.session.scalar(select(ImportBatch.id).where(ImportBatch.token == token))
        files = list(db.session.scalars(
            select(Attachment).where(Attachment.owner_type == "import", Attachment.owner_id == batch_id)))
        db.session.expunge_all()
        return files


def test_an_imported_proposals_timeline_links_its_workbook_for_who_sees_every_row(app, users, as_user):
    _meeting(app, users)
    workbook = xlsx(PROPOSAL_HEADERS, CLEAN_ROWS)
    office = as_user("coordinator")
    _confirmed(office, "/imports/proposals", workbook, "Danh sách kiến nghị.xlsx")
    first, second, third = _ids(app, Proposal)

    page = office.get(f"/proposals/{first}").get_data(as_text=True)
    assert "Nhập từ tệp “Danh sách kiến nghị.xlsx”, dòng 2" in page
    link = _source_link(page)
    assert _source_link(office.get(f"/proposals/{third}").get_data(as_text=True)) == link  # one file, every item
    response = office.get(link)
    assert response.status_code == 200 and response.data == workbook
    assert "Danh%20s%C3%A1ch%20ki%E1%BA%BFn" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    response.close()
    with app.app_context():
        events = db.session.scalars(select(ProposalEvent).where(ProposalEvent.proposal_id == second)).all()
        assert {e.action for e in events} == {"import", "assign"} and all(e.import_batch_id for e in events)

    # The leader sees every proposal of the file, so may have it; the admin is the office's peer.
    assert _get(as_user("leader"), link) == (200, workbook)
    assert _get(as_user("admin"), link)[0] == 200
    # Ia Boòng sees its own two rows but not Pleiku's: it reads the file's name and row, no link, and 404.
    commune = as_user("commune_a")
    page = commune.get(f"/proposals/{first}").get_data(as_text=True)
    assert "Nhập từ tệp “Danh sách kiến nghị.xlsx”, dòng 2" in page and "Tải tệp nguồn" not in page
    assert _get(commune, link)[0] == 404
    assert _get(as_user("department"), link)[0] == 404  # SXD leads one row of three
    assert _get(as_user("commune_b"), link)[0] == 404

    from tests.conftest import Client

    app.test_client_class = Client
    anonymous = app.test_client().get(link)
    assert anonymous.status_code in (302, 303) and anonymous.headers["Location"].startswith("/login")


def test_an_imported_directive_links_its_workbook_on_the_directive_and_each_assignment(app, as_user):
    rows = [["Lương Văn Trọng", "Bí thư Tỉnh ủy", "Kiện toàn tổ chức bộ máy", "Bổ sung đủ ủy viên.",
             "Biên chế, tổ chức bộ máy", in_days(60), None, None, "Xã Ia Boòng", "Sở Nội vụ"]]
    workbook = xlsx(DIRECTIVE_HEADERS, rows)
    office = as_user("coordinator")
    _confirmed(office, "/imports/directives", workbook, "Kết luận 24-9.xlsx")
    [directive] = _ids(app, Directive)
    link = _source_link(office.get(f"/directives/{directive}").get_data(as_text=True))
    with app.app_context():
        kinds = {e.kind for e in db.session.scalars(select(DirectiveEvent).where(DirectiveEvent.import_batch_id.is_not(None)))}
        assert kinds == {"created", "assigned"}
        ia_boong = db.session.scalar(select(Assignment.id).where(
            Assignment.directive_id == directive, Assignment.unit.has(name="Xã Ia Boòng")))
    # Both units assigned see the one directive of the file, so both may have it.
    commune = as_user("commune_a")
    assert _source_link(commune.get(f"/assignments/{ia_boong}").get_data(as_text=True)) == link
    assert _get(commune, link) == (200, workbook)
    assert _get(as_user("department_other"), link) == (200, workbook)
    assert _get(as_user("commune_b"), link)[0] == 404


def test_a_progress_file_is_linked_from_the_reports_it_made(app, users, as_user, directive_for):
    _d, a = directive_for(["Xã Ia Boòng"], title="Một")
    a = a["Xã Ia Boòng"]
    commune = as_user("commune_a")
    filled = fill(commune.get(DOWNLOAD).data, {a: {TEXT: "Đã hoàn thành", PERCENT: 100, COMPLETE: "Có"}})
    _confirmed(commune, "/imports/progress", filled, "Tiến độ tháng 10.xlsx")
    link = _source_link(commune.get(f"/assignments/{a}").get_data(as_text=True))
    assert _get(commune, link) == (200, filled)
    with app.app_context():
        linked = db.session.scalars(select(AssignmentEvent.kind).where(
            AssignmentEvent.assignment_id == a, AssignmentEvent.import_batch_id.is_not(None))).all()
        assert sorted(linked) == ["completion_requested", "report"]  # not the assignment made before the file
    assert _get(as_user("coordinator"), link) == (200, filled)
    assert _get(as_user("commune_b"), link)[0] == 404


def test_a_discarded_preview_keeps_no_file(app, users, as_user):
    _meeting(app, users)
    office = as_user("coordinator")
    token = token_of(upload(office, "/imports/proposals", xlsx(PROPOSAL_HEADERS, CLEAN_ROWS)))
    [kept] = _stored_files(app, token)
    path = os.path.join(app.config["UPLOAD_FOLDER"], kept.stored_name)
    assert os.path.exists(path)
    with app.app_context():
        batch_id = db.session.scalar(select(ImportBatch.id).where(ImportBatch.token == token))
    assert _get(office, f"/imports/sources/{batch_id}")[0] == 200  # the importer, before confirming
    assert _get(as_user("leader"), f"/imports/sources/{batch_id}")[0] == 404  # nothing imported yet
    office.post(f"/imports/batches/{token}/discard")
    assert not os.path.exists(path)
    with app.app_context():
        assert db.session.get(Attachment, kept.id) is None
