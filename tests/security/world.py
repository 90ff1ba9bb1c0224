"""A small world of objects owned by commune B and the SXD department, built through services.

commune_a, department_other are outsiders to every object here; department (SXD) is the
lead on the proposal and has its own assignment on the directive.
"""

import os
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app import clock
from app.api import tokens as api_tokens
from app.attachments import storage
from app.days_off.models import DayOff
from app.directives import services as directive_services
from app.directives.models import Assignment
from app.docjobs.models import DONE, DocumentJob
from app.extensions import db
from app.imports import sources
from app.imports.models import ImportBatch
from app.meetings import services as meeting_services
from app.models import Field, Unit, User
from app.notifications import notify
from app.proposals import services as proposal_services
from app.saved_lists.models import SavedList

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@dataclass
class World:
    ids: dict[str, int | str]


class _Upload:
    """The smallest stand-in for an uploaded PDF: storage.check_upload reads name and stream."""

    def __init__(self, name: str, data: bytes):
        import io

        self.filename = name
        self.stream = io.BytesIO(data)


def _workbook() -> bytes:
    import io

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def build(app, users) -> World:
    with app.app_context():
        get = lambda key: db.session.get(User, users[key].id)  # noqa: E731
        commune_b, coordinator = get("commune_b"), get("coordinator")
        sxd = db.session.scalar(select(Unit).where(Unit.code == "SXD"))
        field = db.session.scalar(select(Field).where(Field.name == "Giao thông"))

        meeting = meeting_services.create_meeting(
            {"title": "Hội nghị giao ban tháng 10", "held_on": date(2025, 10, 20), "kind": "giao_ban",
             "chair_name": "Lương Văn Trọng", "chair_title": "Bí thư Tỉnh ủy",
             "issuing_unit_id": coordinator.unit_id},
            coordinator,
        )
        data = proposal_services.ProposalInput(title="Đường liên thôn", content="Đường đất 7 km.", field=field)
        proposal = proposal_services.create(commune_b, data)
        proposal_services.add_attachments(proposal, commune_b, [storage.check_upload(_Upload("tờ trình.pdf", PDF))])
        proposal_services.submit(proposal, commune_b)
        proposal_services.assign(proposal, coordinator, sxd, [])
        draft = proposal_services.create(commune_b, proposal_services.ProposalInput(
            title="Bản nháp", content="Chưa gửi.", field=field))

        directive = directive_services.create_directive(
            {"meeting_id": meeting.id, "issued_by_name": "Lương Văn Trọng", "issued_by_title": "Bí thư Tỉnh ủy",
             "title": "Kiện toàn bộ máy", "content": "Bổ sung biên chế.", "field_id": field.id, "is_ongoing": False,
             "deadline": clock.today() + timedelta(days=30), "reporting_period": None},
            coordinator,
        )
        directive_services.assign_to_units(directive, [commune_b.unit_id, sxd.id], "lead", coordinator)
        db.session.flush()
        assignment = db.session.scalar(select(Assignment).where(
            Assignment.directive_id == directive.id, Assignment.unit_id == commune_b.unit_id))
        [note] = notify([commune_b], "test.event", "Thông báo thử", f"/proposals/{proposal.id}")
        day_off = DayOff(date=date(2030, 1, 2), reason="Ngày nghỉ thử")
        db.session.add(day_off)
        # commune B's progress file, uploaded and waiting for its preview to be confirmed
        batch = ImportBatch(token="lo-tien-do-cua-xa-b", kind="progress", user_id=commune_b.id,
                            file_name="tiến độ.xlsx", sha256="0" * 64, sheet={"rows": []})
        db.session.add(batch)
        # commune B's confirmed progress file on its own assignment, kept as the import's source
        source_batch = ImportBatch(token="lo-tien-do-da-nhap-cua-xa-b", kind="progress", user_id=commune_b.id,
                                   file_name="tiến độ tháng 9.xlsx", sha256="1" * 64, sheet={"rows": []},
                                   state="confirmed", result={"ids": [assignment.id]})
        db.session.add(source_batch)
        db.session.flush()
        sources.keep(storage.check_upload(_Upload("tiến độ tháng 9.xlsx", _workbook())), source_batch, commune_b)
        # commune B's API token, made by the admin
        api_token = api_tokens.create(get("admin"), commune_b, "Khóa của xã B", "read", clock.today() + timedelta(days=30))
        view = SavedList(user_id=commune_b.id, list_key="proposals", name="Kiến nghị của xã B", query="state=submitted")
        db.session.add(view)
        # commune B's finished document (its unit's record as Word), its file on disk
        folder = app.config["DOCUMENT_JOB_DIR"]
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "1-hoso.bin")
        with open(path, "wb") as handle:
            handle.write(b"PK\x03\x04 not a real document")
        job = DocumentJob(kind="report", parameters={"name": "unit", "fmt": "docx", "args": {}}, user_id=commune_b.id,
                          state=DONE, progress=100, step="Đã xong", cache_key="0" * 64, file_path=path,
                          file_name="Hồ sơ xã B.docx", mime="application/octet-stream", attempts=1)
        db.session.add(job)
        db.session.commit()
        attachment_id = proposal_services.attachments(proposal)[0].id
        return World({
            "proposal_id": proposal.id, "draft_id": draft.id, "attachment_id": attachment_id,
            "directive_id": directive.id, "assignment_id": assignment.id, "meeting_id": meeting.id,
            "notification_id": note.id, "day_off_id": day_off.id, "user_id": commune_b.id,
            "unit_id": sxd.id, "field_id": field.id, "token": batch.token,
            "commune_b_unit_id": commune_b.unit_id, "api_token_id": api_token.token.id,
            "view_id": view.id, "batch_id": source_batch.id, "job_id": job.id,
        })
