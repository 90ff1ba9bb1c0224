"""The demo's briefing meeting, shared by the proposals and directives demos.

What comes from the source article (Báo Gia Lai, 24-9-2025) is kept as the article states it:
the kind of meeting, who attended (by office, not by name), the figures on administrative
files and the Provincial Party Secretary's conclusions. Everything else is an illustration:
the people carry invented names, and the meeting's date is set relative to today so that the
demo reads as one timeline (the meeting, then the proposals raised at it and the directives
issued after it). The summary says so, and the site shows "Dữ liệu minh họa" (base.html).

The article's percentage ("đúng và trước hạn 262.589 hồ sơ, chiếm gần 92%") is not repeated:
262.589 is 97,5% of the files resolved and 89,5% of those received; 92% is resolved over
received. The summary prints each ratio from its own two figures (app.rates).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import rates
from app.extensions import db
from app.formatting import format_number
from app.meetings import services as meetings
from app.models import Meeting, Unit, User

MEETING_TITLE = "Hội nghị giao ban Thường trực Tỉnh ủy với Thường trực Đảng ủy 135 xã, phường"
# The meeting is held this many days before the day the demo is loaded: the proposals raised
# at it were sent up to 102 days ago, the directives issued three days after it.
DAYS_BEFORE_TODAY = 105
DIRECTIVES_ISSUED_AFTER = timedelta(days=3)

# Invented names: no person of the article appears in the demo.
CHAIR_NAME = "Lê Minh Quang"
CHAIR_TITLE = "Bí thư Tỉnh ủy"

# The article's figures (administrative files in the first three months of two-level government).
RECEIVED = 293_275
RESOLVED = 269_439
RESOLVED_ON_TIME = 262_589
RECEIVED_PROVINCE = 75_566
RECEIVED_COMMUNES = 217_709

PARTICIPANTS = (
    "Đồng chí Bí thư Tỉnh ủy chủ trì; các đồng chí Phó Bí thư Tỉnh ủy, Thường trực HĐND, UBND tỉnh, "
    "Ủy ban MTTQ Việt Nam tỉnh; các đồng chí trong Ban Thường vụ Tỉnh ủy; đại diện lãnh đạo các sở, ban, "
    "ngành của tỉnh; Thường trực Đảng ủy 135 xã, phường (trực tiếp kết hợp trực tuyến)."
)


def files_sentence() -> str:
    """The article's figures on administrative files, each ratio computed from its own two figures."""
    return (
        f"Toàn tỉnh tiếp nhận {format_number(RECEIVED)} hồ sơ, đã giải quyết {format_number(RESOLVED)} hồ sơ "
        f"({rates.format_percent(RESOLVED, RECEIVED)} số hồ sơ tiếp nhận), trong đó giải quyết đúng và trước hạn "
        f"{format_number(RESOLVED_ON_TIME)} hồ sơ ({rates.format_percent(RESOLVED_ON_TIME, RESOLVED)} số hồ sơ đã "
        f"giải quyết, {rates.format_percent(RESOLVED_ON_TIME, RECEIVED)} số hồ sơ tiếp nhận); cấp tỉnh tiếp nhận "
        f"{format_number(RECEIVED_PROVINCE)} hồ sơ, cấp xã {format_number(RECEIVED_COMMUNES)} hồ sơ."
    )


def summary() -> str:
    return (
        "Đánh giá tình hình sau gần 3 tháng vận hành mô hình chính quyền địa phương 2 cấp. "
        "Cơ quan Đảng, chính quyền, MTTQ và các tổ chức chính trị - xã hội tại các xã, phường hoạt động "
        "thông suốt; Trung tâm phục vụ hành chính công cấp xã hoạt động hiệu quả. " + files_sentence() + "\n"
        "Các xã, phường kiến nghị kinh phí xây dựng trụ sở, trang thiết bị và hạ tầng công nghệ thông tin, "
        "bổ sung biên chế, đầu tư giao thông, thủy lợi, trường học, trạm y tế, nhà văn hóa thôn, làng; "
        "phân cấp, phân quyền; thu hút đầu tư; tập huấn chuyên sâu.\n"
        "Kết luận của Bí thư Tỉnh ủy: tiếp tục kiện toàn tổ chức bộ máy, bổ sung đủ ủy viên Ban Chấp hành, "
        "Ban Thường vụ Đảng ủy xã, phường và biên chế còn thiếu; triển khai nghị quyết đại hội Đảng bộ, xây "
        "dựng chương trình, kế hoạch hành động; quan tâm giảm nghèo, an sinh xã hội; các ngành của tỉnh đầu tư "
        "kinh phí hoàn thiện cơ sở hạ tầng, trang thiết bị; rà soát cơ chế phân cấp, phân quyền.\n"
        "Dữ liệu minh họa: số liệu hồ sơ và các kết luận theo bài báo Báo Gia Lai ngày 24-9-2025; ngày họp, "
        "tên người và các kiến nghị, chỉ đạo cụ thể là giả định để dùng thử."
    )


def meeting_date(today: date) -> date:
    return today - timedelta(days=DAYS_BEFORE_TODAY)


def ensure_demo_meeting(users: dict[str, User], today: date) -> Meeting:
    """The demo meeting, found by its title (the other demo loader may have made it), else made."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == MEETING_TITLE).order_by(Meeting.id))
    if meeting is not None:
        return meeting
    office = db.session.scalar(select(Unit).where(Unit.code == "TU-VP"))
    return meetings.create_meeting(
        {
            "title": MEETING_TITLE, "held_on": meeting_date(today), "kind": "giao_ban", "chair_name": CHAIR_NAME,
            "chair_title": CHAIR_TITLE, "issuing_unit_id": office.id if office else None,
            "participants": PARTICIPANTS, "summary": summary(),
        },
        users.get("vanphong.demo"),
    )
