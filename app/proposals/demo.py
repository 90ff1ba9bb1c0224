"""Demo proposals: the kinds of request the communes raised at the briefing (Báo Gia Lai,
24-9-2025), spread over real communes and wards and over every state of the workflow.

The requests follow the article's list; their specifics (amounts, places, answers) are
invented for the demo and say nothing about any real body's decisions.

Dates are relative to today, so there is always something on time, due soon and overdue.
Idempotent: each proposal carries a fixed idempotency key and is skipped when present.
"""

from datetime import timedelta

from sqlalchemy import select

from app import clock, policy
from app.admin import services as accounts
from app.demo_mode import DEMO_PASSWORD
from app.extensions import db
from app.meetings import demo as demo_meeting
from app.models import Field, Unit, User
from app.proposals import services
from app.proposals.models import Proposal

# People who write and answer on behalf of units without a named demo account.
_NAMES = [
    "Nguyễn Văn Hùng", "Ksor H'Blin", "Rơ Mah Tuấn", "Đinh Văn Thắng", "Siu H'Nga", "Trần Thị Mai",
    "Lê Văn Sơn", "Phạm Thị Hằng", "Puih Bơn", "Võ Minh Đức", "Rcom H'Yên", "Huỳnh Văn Phúc",
    "Nay Y Blang", "Đặng Thị Thu", "Kpă Thị Hạnh", "Bùi Quang Vinh",
]

# key, commune, field, title, content, amount (đồng), location, steps
# A step is (days before today, action, options). Options of assign: lead, supports,
# deadline (days from today, negative = past). Of answer: outcome, text, planned (days from today).
SCENARIOS = [
    (
        "01", "Xã Ia Boòng", "Trụ sở làm việc",
        "Xây dựng mới trụ sở làm việc Đảng ủy, HĐND, UBND xã Ia Boòng",
        "Sau sắp xếp đơn vị hành chính, xã Ia Boòng đang làm việc tại trụ sở cũ của xã Ia Boòng (trước sáp nhập), "
        "được xây dựng từ năm 2004, đã xuống cấp nghiêm trọng: mái dột, tường nứt, không đủ phòng làm việc cho "
        "cán bộ, công chức của 3 xã cũ.\n\nĐề nghị tỉnh quan tâm cho chủ trương và bổ sung kinh phí xây dựng mới "
        "trụ sở làm việc, đáp ứng nhu cầu hoạt động của chính quyền cơ sở theo mô hình 2 cấp.",
        12_500_000_000, "Trung tâm xã",
        [(50, "submit", {}), (48, "receive", {}),
         (47, "assign", {"lead": "SXD", "supports": ["STC"], "deadline": 20}),
         (20, "opinion", {"unit": "STC", "text": "Sở Tài chính thống nhất đưa vào danh mục đề xuất bố trí vốn đầu tư công "
                                                "trung hạn 2026-2030; đề nghị Sở Xây dựng rà soát quy mô theo tiêu chuẩn, định mức."})],
    ),
    (
        "02", "Phường Pleiku", "Trụ sở làm việc",
        "Cải tạo, mở rộng Trung tâm phục vụ hành chính công phường Pleiku",
        "Trung tâm phục vụ hành chính công phường tiếp nhận bình quân hơn 300 hồ sơ/ngày, diện tích chờ của người dân "
        "chật hẹp, thiếu quầy tiếp nhận. Đề nghị hỗ trợ kinh phí cải tạo, mở rộng khu tiếp dân và lắp đặt hệ thống "
        "xếp hàng tự động.",
        3_200_000_000, "",
        [(60, "submit", {}), (59, "receive", {}),
         (58, "assign", {"lead": "SXD", "deadline": -12}),
         (5, "leader_comment", {"text": "Đề nghị Sở Xây dựng khẩn trương trả lời phường Pleiku trước ngày 30 tháng này; "
                                        "Văn phòng Tỉnh ủy theo dõi, đôn đốc."})],
    ),
    (
        "03", "Xã Đak Đoa", "Trang thiết bị, hạ tầng CNTT, phần mềm dùng chung",
        "Bổ sung máy tính, máy scan cho bộ phận một cửa xã Đak Đoa",
        "Bộ phận tiếp nhận và trả kết quả của xã hiện có 6 máy tính, trong đó 4 máy đã cũ, không cài đặt được phần mềm "
        "dịch vụ công mới; thiếu máy scan để số hóa hồ sơ. Đề nghị tỉnh hỗ trợ 10 bộ máy tính và 4 máy scan tốc độ cao.",
        850_000_000, "",
        [(70, "submit", {}), (69, "receive", {}),
         (68, "assign", {"lead": "SKHCN", "deadline": -38}),
         (45, "answer", {"outcome": "resolved", "text": "Sở Khoa học và Công nghệ đã điều chuyển 10 bộ máy tính và 4 máy scan "
                                                        "từ dự án chuyển đổi số cho xã Đak Đoa; bàn giao ngày 15 tháng trước."}),
         (42, "feedback", {"feedback": "agree", "text": "Xã đã nhận đủ thiết bị, cảm ơn Sở."}),
         (40, "close", {})],
    ),
    (
        "04", "Xã Ia Grai", "Trang thiết bị, hạ tầng CNTT, phần mềm dùng chung",
        "Triển khai phần mềm dùng chung và nâng cấp đường truyền cho chính quyền số",
        "Các phần mềm quản lý văn bản, một cửa điện tử, kế toán đang dùng riêng lẻ, không liên thông; đường truyền "
        "internet tại trụ sở thường xuyên chậm. Đề nghị tỉnh triển khai phần mềm dùng chung cho cấp xã và nâng cấp "
        "đường truyền số liệu chuyên dùng.",
        None, "",
        [(80, "submit", {}), (78, "assign", {"lead": "SKHCN", "deadline": -48}),
         (35, "answer", {"outcome": "explained", "text": "Phần mềm dùng chung cấp xã đang được xây dựng theo kế hoạch chuyển đổi số "
                                                         "của tỉnh; sẽ triển khai khi hoàn thành. Đường truyền chuyên dùng tại "
                                                         "trụ sở xã đã được nâng cấp từ tháng trước."}),
         (30, "feedback", {"feedback": "disagree", "text": "Đường truyền vẫn chậm vào giờ cao điểm; đề nghị Sở kiểm tra lại thực tế."})],
    ),
    (
        "05", "Xã Chư Sê", "Biên chế, tổ chức bộ máy",
        "Bổ sung biên chế công chức địa chính, tài chính - kế toán",
        "Sau sáp nhập, xã có 2 công chức địa chính - xây dựng cho địa bàn gần 300 km², khối lượng hồ sơ đất đai "
        "tăng gấp 3 lần. Đề nghị bổ sung 2 biên chế địa chính và 1 biên chế tài chính - kế toán.",
        None, "",
        [(75, "submit", {}), (74, "return", {"text": "Đề nghị xã bổ sung số liệu hồ sơ đất đai tiếp nhận 3 tháng qua và "
                                                     "bảng phân công nhiệm vụ hiện tại của công chức."}),
         (70, "resubmit", {"append": "\n\nSố liệu bổ sung: 3 tháng qua xã tiếp nhận 1.245 hồ sơ đất đai (trước sáp nhập "
                                     "bình quân 380 hồ sơ/quý)."}),
         (69, "assign", {"lead": "SNV", "deadline": -9})],
    ),
    (
        "06", "Xã Mang Yang", "Giao thông",
        "Đầu tư đường giao thông liên thôn từ làng Đê Kjiêng đến trung tâm xã",
        "Tuyến đường dài 7,5 km là đường đất, mùa mưa lầy lội, học sinh và người dân đi lại rất khó khăn, nông sản "
        "không vận chuyển ra được. Đề nghị tỉnh hỗ trợ đầu tư bê tông hóa tuyến đường.",
        18_000_000_000, "Làng Đê Kjiêng",
        [(90, "submit", {}), (88, "receive", {}),
         (87, "assign", {"lead": "SXD", "supports": ["STC"], "deadline": -57}),
         (50, "answer", {"outcome": "in_progress", "planned": 120,
                         "text": "Sở Xây dựng đã đưa tuyến đường vào danh mục dự kiến đầu tư giai đoạn 2026-2030; "
                                 "đang lập báo cáo đề xuất chủ trương đầu tư."})],
    ),
    (
        "07", "Xã Kbang", "Giao thông",
        "Nâng cấp đường liên xã Kbang – Sơn Lang",
        "Đoạn Km12 – Km18 hư hỏng nặng sau mùa mưa, nhiều ổ gà, sạt lở taluy dương. Đề nghị sửa chữa khẩn cấp trước "
        "mùa mưa năm sau.",
        6_400_000_000, "Km12 – Km18",
        [(28, "submit", {}), (27, "assign", {"lead": "SXD", "deadline": 2})],
    ),
    (
        "08", "Xã Chư Păh", "Thủy lợi",
        "Sửa chữa kênh mương thủy lợi phục vụ tưới cà phê",
        "Kênh chính dài 3 km bị bồi lắng, bong tróc, thất thoát nước; khoảng 150 ha cà phê thiếu nước tưới mùa khô.",
        2_100_000_000, "Thôn 3",
        [(3, "submit", {})],
    ),
    (
        "09", "Xã Phú Thiện", "Giáo dục (trường học)",
        "Xây dựng thêm phòng học cho trường tiểu học ở trung tâm xã",
        "Trường thiếu 6 phòng học, phải học 2 ca; sau sáp nhập số học sinh tăng. Đề nghị đầu tư xây dựng dãy nhà "
        "6 phòng học 2 tầng.",
        7_800_000_000, "",
        [(25, "submit", {}), (24, "receive", {}),
         (23, "assign", {"lead": "SGDDT", "supports": ["SXD"], "deadline": 7})],
    ),
    (
        "10", "Xã Ia Pa", "Y tế (trạm y tế)",
        "Nâng cấp trạm y tế xã đạt chuẩn quốc gia",
        "Trạm y tế xuống cấp, thiếu phòng lưu bệnh, thiếu trang thiết bị khám chữa bệnh ban đầu. Đề nghị hỗ trợ "
        "nâng cấp để đạt Bộ tiêu chí quốc gia về y tế xã.",
        4_500_000_000, "",
        [(6, "submit", {}), (5, "receive", {})],
    ),
    (
        "11", "Xã Ia Boòng", "Văn hóa (nhà văn hóa thôn, làng)",
        "Hỗ trợ xây dựng nhà văn hóa các làng",
        "Nhiều làng chưa có nhà văn hóa hoặc nhà rông đã hư hỏng, không có nơi sinh hoạt cộng đồng.",
        3_000_000_000, "",
        [(12, "submit", {}), (10, "return", {"text": "Đề nghị xã nêu rõ danh sách làng, hiện trạng từng nhà văn hóa và "
                                                     "khái toán kinh phí cho từng công trình."})],
    ),
    (
        "12", "Phường An Khê", "Phân cấp, phân quyền",
        "Ban hành quy định phân cấp quản lý đầu tư công cho cấp xã",
        "Đề nghị tỉnh ban hành quy định phân cấp cho UBND cấp xã quyết định chủ trương đầu tư các dự án nhóm C "
        "sử dụng ngân sách xã, để xã chủ động triển khai nhiệm vụ.",
        None, "",
        [(100, "submit", {}), (98, "assign", {"lead": "SNV", "supports": ["STC", "STP"], "deadline": -68}),
         (75, "answer", {"outcome": "explained",
                         "text": "Sở Nội vụ đã tham mưu UBND tỉnh dự thảo quy định phân cấp; dự kiến trình HĐND tỉnh tại kỳ họp cuối năm. "
                                 "Trong thời gian chờ, xã thực hiện theo Luật Đầu tư công hiện hành."}),
         (70, "feedback", {"feedback": "agree", "text": ""}),
         (68, "close", {})],
    ),
    (
        "13", "Phường Quy Nhơn", "Thu hút đầu tư, phát triển kinh tế - xã hội",
        "Hỗ trợ xúc tiến, kêu gọi đầu tư vào các khu đất công trên địa bàn phường",
        "Phường có 5 khu đất công sau sắp xếp trụ sở dôi dư. Đề nghị tỉnh hỗ trợ xúc tiến, kêu gọi nhà đầu tư "
        "khai thác hiệu quả, thúc đẩy phát triển kinh tế - xã hội.",
        None, "",
        [(40, "submit", {}), (39, "assign", {"lead": "STC", "deadline": -9}),
         (15, "answer", {"outcome": "resolved",
                         "text": "Sở Tài chính đã đưa 5 khu đất vào danh mục kêu gọi đầu tư của tỉnh trong năm tới."})],
    ),
    (
        "14", "Xã Đức Cơ", "Đào tạo, tập huấn",
        "Tập huấn chuyên sâu về quản lý tài chính - ngân sách cấp xã",
        "Đội ngũ kế toán ngân sách xã mới được bố trí, chưa nắm vững quy trình lập, chấp hành và quyết toán ngân sách "
        "theo mô hình mới. Đề nghị tổ chức lớp tập huấn chuyên sâu.",
        None, "",
        [(15, "submit", {}), (14, "assign", {"lead": "SNV", "supports": ["STC"], "deadline": 16})],
    ),
    (
        "15", "Xã Chư Prông", "Đào tạo, tập huấn",
        "Tập huấn nghiệp vụ quản lý trật tự xây dựng",
        "Xã được giao cấp giấy phép xây dựng nhà ở riêng lẻ nhưng công chức chưa được đào tạo nghiệp vụ. Đề nghị tổ "
        "chức tập huấn về cấp phép và quản lý trật tự xây dựng.",
        None, "",
        [(55, "submit", {}), (54, "assign", {"lead": "SXD", "deadline": -24}),
         (30, "answer", {"outcome": "resolved",
                         "text": "Sở Xây dựng đã tổ chức lớp tập huấn cấp phép xây dựng cho công chức 135 xã, phường; tài liệu đăng "
                                 "trên trang của Sở."}),
         (28, "close", {"text": "Đã hoàn thành theo báo cáo của Sở Xây dựng."})],
    ),
    (
        "16", "Xã Ia Boòng", "Nông nghiệp, môi trường, đất đai",
        "Tập huấn về đất đai, nông nghiệp, môi trường cho công chức xã",
        "Dự thảo: đề nghị tổ chức tập huấn về đăng ký đất đai, cấp giấy chứng nhận, quản lý môi trường cho công chức xã.",
        None, "",
        [],
    ),
    (
        "17", "Phường Pleiku", "Đào tạo, tập huấn",
        "Tập huấn công nghệ thông tin, chuyển đổi số cho công chức phường",
        "Dự thảo: đề nghị tổ chức tập huấn khai thác cơ sở dữ liệu dân cư, chữ ký số, phần mềm một cửa điện tử.",
        None, "",
        [],
    ),
    (
        "18", "Xã Ia Boòng", "Giao thông",
        "Hỗ trợ kinh phí sửa chữa đường nội đồng",
        "Đề nghị hỗ trợ sửa chữa 2 km đường nội đồng phục vụ vận chuyển nông sản.",
        900_000_000, "Làng Bò",
        [(30, "submit", {}), (29, "withdraw", {"text": "Xã đã bố trí được từ nguồn ngân sách xã."})],
    ),
    (
        "19", "Xã Biển Hồ", "Trụ sở làm việc",
        "Sửa chữa trụ sở làm việc sau sáp nhập",
        "Trụ sở đang sử dụng thấm dột, hệ thống điện xuống cấp, không bảo đảm an toàn phòng cháy chữa cháy.",
        1_500_000_000, "",
        [(4, "submit", {})],
    ),
    (
        "20", "Xã Ia Hrung", "Trụ sở làm việc",
        "Xây dựng nhà làm việc Bộ phận một cửa xã Ia Hrung",
        "Bộ phận một cửa đang làm việc tạm tại hội trường, không có chỗ ngồi chờ cho người dân.",
        2_400_000_000, "",
        [(2, "submit", {})],
    ),
    (
        "21", "Xã Tây Sơn", "Giao thông",
        "Xây dựng cầu tràn qua suối làng Kon Hrách",
        "Mùa mưa nước suối dâng cao, người dân và học sinh không qua lại được, đã xảy ra tai nạn đuối nước.",
        5_200_000_000, "Làng Kon Hrách",
        [(65, "submit", {}), (63, "assign", {"lead": "SXD", "deadline": -33}),
         (40, "answer", {"outcome": "explained", "text": "Công trình chưa có trong danh mục đầu tư; đề nghị xã sử dụng nguồn vốn "
                                                         "chương trình mục tiêu quốc gia."}),
         (36, "feedback", {"feedback": "disagree", "text": "Vốn chương trình mục tiêu quốc gia của xã không đủ; đề nghị Sở xem xét lại."}),
         (34, "reopen", {"text": "Câu trả lời chưa đáp ứng; đề nghị Sở Xây dựng phối hợp Sở Tài chính đề xuất nguồn vốn cụ thể.",
                         "deadline": 10})],
    ),
    (
        "22", "Xã Ia Boòng", "Trang thiết bị, hạ tầng CNTT, phần mềm dùng chung",
        "Trang bị máy tính, chữ ký số cho cơ quan Đảng ủy xã",
        "Văn phòng Đảng ủy xã có 3 máy tính cho 9 cán bộ; chưa được cấp chữ ký số để ký văn bản điện tử. "
        "Đề nghị hỗ trợ 6 máy tính và cấp chữ ký số cho lãnh đạo Đảng ủy xã.",
        180_000_000, "",
        [(35, "submit", {}), (34, "receive", {}), (33, "assign", {"lead": "SKHCN", "deadline": -3}),
         (6, "answer", {"outcome": "resolved", "text": "Sở đã phối hợp đơn vị cung cấp dịch vụ cấp 4 chữ ký số cho lãnh đạo Đảng ủy xã; "
                                                       "6 máy tính được bàn giao trong đợt phân bổ thiết bị tháng này."})],
    ),
]


def _unit(ref: str) -> Unit | None:
    return accounts.find_unit(ref)


def _author_for(unit: Unit, users: dict[str, User], role: str) -> User:
    """The demo account of unit with role; one is made for units that have none."""
    for user in users.values():
        if user.unit_id == unit.id and user.role == role:
            return user
    username = f"demo.{unit.code.lower()}"
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        name = _NAMES[unit.id % len(_NAMES)]
        user, _ = accounts.create_user(
            username, role, unit, password=DEMO_PASSWORD, full_name=name, must_change=False, is_demo=True
        )
    users[username] = user
    return user


def load_demo_proposals(users: dict[str, User]) -> None:
    """Add the article's proposals, each walked through its workflow steps."""
    users = dict(users)
    coordinator = users.get("vanphong.demo")
    leader = users.get("lanhdao.demo")
    if coordinator is None or leader is None:
        return
    now = clock.now()
    today = clock.local_date(now)
    meeting = demo_meeting.ensure_demo_meeting(users, today)
    fields = {f.name: f for f in db.session.scalars(select(Field))}
    for key, commune_name, field_name, title, content, amount, location, steps in SCENARIOS:
        idempotency_key = f"demo-proposal-{key}"
        if db.session.scalar(select(Proposal.id).where(Proposal.idempotency_key == idempotency_key)):
            continue
        commune, field = _unit(commune_name), fields.get(field_name)
        if commune is None or field is None:  # another province's units or edited fields
            continue
        author = _author_for(commune, users, policy.COMMUNE)
        created = now - timedelta(days=(steps[0][0] + 2) if steps else 1, hours=3)
        data = services.ProposalInput(title=title, content=content, field=field, requested_amount=amount,
                                      location=location, meeting=meeting)
        proposal = services.create(author, data, idempotency_key=idempotency_key, at=created)
        for days_ago, action, options in steps:
            at = now - timedelta(days=days_ago, hours=2)
            _run_step(proposal, action, options, at, today, author, coordinator, leader, users)
        db.session.flush()


def _run_step(proposal, action, options, at, today, author, coordinator, leader, users) -> None:
    text = options.get("text", "")
    if action == "submit":
        services.submit(proposal, author, at=at)
    elif action == "resubmit":
        data = services.ProposalInput(
            title=proposal.title, content=proposal.content + options["append"], field=proposal.field,
            requested_amount=proposal.requested_amount, location=proposal.location, meeting=proposal.meeting,
        )
        services.update(proposal, author, data, at=at)
        services.submit(proposal, author, at=at)
    elif action == "withdraw":
        services.withdraw(proposal, author, text, at=at)
    elif action == "receive":
        services.receive(proposal, coordinator, at=at)
    elif action == "return":
        services.return_to_commune(proposal, coordinator, text, at=at)
    elif action == "assign":
        supports = [_unit(code) for code in options.get("supports", [])]
        services.assign(
            proposal, coordinator, _unit(options["lead"]), [u for u in supports if u],
            deadline=today + timedelta(days=options["deadline"]), at=at,
        )
    elif action == "answer":
        answerer = _author_for(proposal.lead_unit, users, policy.DEPARTMENT)
        planned = today + timedelta(days=options["planned"]) if "planned" in options else None
        services.answer(proposal, answerer, options["outcome"], options["text"], planned_on=planned, at=at)
    elif action == "feedback":
        services.give_feedback(proposal, author, options["feedback"], text, at=at)
    elif action == "close":
        services.close(proposal, coordinator, text, at=at)
    elif action == "reopen":
        deadline = today + timedelta(days=options["deadline"]) if "deadline" in options else None
        services.reopen(proposal, coordinator, text, deadline=deadline, at=at)
    elif action == "opinion":
        services.add_note(proposal, _author_for(_unit(options["unit"]), users, policy.DEPARTMENT), text,
                          action="opinion", at=at)
    elif action == "leader_comment":
        services.add_note(proposal, leader, text, action="leader_comment", at=at)
    else:
        raise ValueError(f"unknown demo step {action}")
