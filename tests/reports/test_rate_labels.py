"""Issue 14 §3: every rate names what it divides and carries its two counts; one total of tasks."""

import re
from datetime import date

from app.directives.models import Directive
from app.extensions import db
from app.models import Meeting
from tests.docjobs.fetch import fetch_document
from tests.reports.conftest import docx_of, table_texts

RATE = re.compile(
    r'data-rate="completion"><span class="rate" data-rate-kind="completion" data-part="(\d+)" data-whole="(\d+)" '
    r'title="([^"]+)"><span class="rate-value">([^<]+)</span><span class="visually-hidden">, ([^<]+)</span><small class="rate-counts" '
    r'aria-hidden="true"> \((\d+)/(\d+)\)</small>'
)


def _meeting(app, seeded, set_assignment, assignment_of):
    with app.app_context():
        meeting = Meeting(title="Hội nghị giao ban quý", held_on=date(2025, 9, 24), chair_name="Chủ trì")
        db.session.add(meeting)
        db.session.flush()
        db.session.get(Directive, seeded["directives"]["staffing"]).meeting_id = meeting.id
        db.session.commit()
        meeting_id = meeting.id
    # A cancelled task: out of the total everywhere, stated apart.
    set_assignment(assignment_of(seeded["directives"]["staffing"], "SNV"), state="cancelled")
    return meeting_id


def test_meeting_page_and_directive_list_name_the_rate_and_its_counts(app, seeded, as_user, set_assignment,
                                                                       assignment_of):
    meeting_id = _meeting(app, seeded, set_assignment, assignment_of)
    client = as_user("coordinator")
    for url in (f"/meetings/{meeting_id}", "/directives"):
        page = client.get(url).get_data(as_text=True)
        assert "Tỷ lệ hoàn thành nhiệm vụ đến hạn" in page
        assert ">Tỷ lệ hoàn thành<" not in page
        found = [m.groups() for m in RATE.finditer(page) if m.group(2) != "0"]
        assert len(found) == 1, url  # the staffing directive; the ongoing one has nothing due ("—")
        part, whole, title, text, spoken, printed_part, printed_whole = found[0]
        # Done: Ia Boòng (on time), Pleiku (late); due: those two and SXD overdue. SNV is cancelled.
        assert (part, whole, text) == ("2", "3", "66,7%")
        assert title.startswith("Tỷ lệ hoàn thành nhiệm vụ đến hạn: 2/3: nhiệm vụ đã hoàn thành trên nhiệm vụ đã đến hạn")
        assert spoken.startswith("2/3: nhiệm vụ đã hoàn thành")
        assert (printed_part, printed_whole) == ("2", "3")
        # The done/total column uses the one total (cancelled left out): 2 of 3, not 2 of 4.
        assert ">2/3</td>" in page


def test_report_and_home_state_the_same_total(app, seeded, as_user, set_assignment, assignment_of):
    meeting_id = _meeting(app, seeded, set_assignment, assignment_of)
    client = as_user("coordinator")
    document = docx_of(fetch_document(client, f"/reports/directives.docx?meeting={meeting_id}"))
    rows = table_texts(document.tables[1])
    assert rows[-1][1:] == ["Tổng số nhiệm vụ được giao", "3"]
    assert "Đã hủy" not in [r[1] for r in rows]
    paragraphs = [p.text for p in document.paragraphs]
    assert any("Ngoài ra có 1 nhiệm vụ đã hủy, không tính vào tổng số" in p for p in paragraphs)
    assert any(p.startswith("Tỷ lệ hoàn thành nhiệm vụ đến hạn") and p.endswith("= 2/3 = 66,7%.") for p in paragraphs)
    directives = client.get("/directives").get_data(as_text=True)
    assert ">2/3</td>" in directives
