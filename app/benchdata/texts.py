"""Phrase lists for benchmark data, drawn from the source article (Báo Gia Lai, 24-9-2025).

The communes' requests (new offices, IT equipment and shared software, staff, roads,
irrigation, schools, health stations, village cultural houses, decentralised powers,
investment, training) and the Party Secretary's conclusions are recombined so that five
years of proposals, answers, directives and progress reports read like the real thing and
give the search something to find ("truong hoc" must find "trường học").
"""

from __future__ import annotations

from random import Random

# Invented leaders (no real person), with the offices the article names, who chair meetings
# and issue directives.
LEADERS = [
    ("Lê Minh Quang", "Bí thư Tỉnh ủy"),
    ("Ksor Y Hoan", "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh"),
    ("Trần Văn Bình", "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"),
    ("Nguyễn Đức Thành", "Phó Bí thư Tỉnh ủy, Trưởng Đoàn Đại biểu Quốc hội tỉnh"),
    ("Đinh Thị Mai", "Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"),
]

FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Ksor", "Rơ Mah", "Siu", "Rah Lan", "Nay", "Puih", "Kpă", "Rcom", "Đinh", "Y",
]
MIDDLE_NAMES = ["Văn", "Thị", "Minh", "Quốc", "Ngọc", "Thanh", "Hữu", "Đức", "H'", "Kim", "Xuân", ""]
GIVEN_NAMES = [
    "Hùng", "Lan", "Tuấn", "Mai", "Dũng", "Hoa", "Sơn", "Hằng", "Bơn", "Đức", "Yên", "Phúc", "Blang",
    "Thu", "Hạnh", "Vinh", "Chung", "Lương", "Khánh", "Tâm", "Minh", "Nga", "Blin", "Thắng", "Hiền",
]

VILLAGES = [
    "Plei Ơi", "Plei Kly", "Làng Mơ Nang", "Làng Ia Krêl", "Làng Bông Phun", "Làng Đê Kjiêng",
    "Plei Thơ Ga", "Làng Kon Chrăh", "Làng Tơ Vơ", "Plei Bàu", "Làng Đăk Jơ Ta", "Plei Ngol Le",
]

# What each field's proposals ask for: (title stem, situation, what is asked).
FIELD_TOPICS: dict[str, list[tuple[str, str, str]]] = {
    "Trụ sở làm việc": [
        ("Xây dựng mới trụ sở làm việc Đảng ủy, HĐND, UBND",
         "Sau sắp xếp đơn vị hành chính, trụ sở làm việc hiện nay đã xuống cấp nghiêm trọng: mái dột, tường nứt, "
         "không đủ phòng làm việc cho cán bộ, công chức của các xã cũ.",
         "Đề nghị tỉnh quan tâm cho chủ trương và bổ sung kinh phí xây dựng mới trụ sở làm việc, đáp ứng nhu "
         "cầu hoạt động của chính quyền cơ sở."),
        ("Cải tạo, mở rộng Trung tâm phục vụ hành chính công",
         "Trung tâm phục vụ hành chính công tiếp nhận bình quân hơn 300 hồ sơ mỗi ngày, khu vực chờ của người dân "
         "chật hẹp, thiếu quầy tiếp nhận.",
         "Đề nghị hỗ trợ kinh phí cải tạo, mở rộng khu tiếp dân và lắp đặt hệ thống xếp hàng tự động."),
        ("Sửa chữa hội trường và nhà làm việc của khối Đảng",
         "Hội trường được xây dựng từ năm 2004, hệ thống điện và âm thanh đã hư hỏng, không bảo đảm tổ chức hội "
         "nghị trực tuyến.",
         "Đề nghị bố trí kinh phí sửa chữa hội trường, nâng cấp hệ thống điện, âm thanh phục vụ hội nghị."),
    ],
    "Trang thiết bị, hạ tầng CNTT, phần mềm dùng chung": [
        ("Bổ sung máy tính, máy scan cho bộ phận một cửa",
         "Bộ phận tiếp nhận và trả kết quả hiện có ít máy tính, phần lớn đã cũ, không cài đặt được phần mềm dịch "
         "vụ công mới; thiếu máy scan để số hóa hồ sơ.",
         "Đề nghị tỉnh hỗ trợ bổ sung máy tính và máy scan tốc độ cao cho bộ phận một cửa."),
        ("Triển khai phần mềm dùng chung và nâng cấp đường truyền cho chính quyền số",
         "Các phần mềm quản lý văn bản, một cửa điện tử, kế toán đang dùng riêng lẻ, không liên thông; đường truyền "
         "internet tại trụ sở thường xuyên chậm.",
         "Đề nghị tỉnh triển khai phần mềm dùng chung cho cấp xã và nâng cấp mạng hạ tầng công nghệ thông tin."),
        ("Trang bị thiết bị họp trực tuyến",
         "Xã chưa có điểm cầu họp trực tuyến đạt chuẩn, phải mượn thiết bị của trường học khi tỉnh tổ chức hội nghị.",
         "Đề nghị hỗ trợ trang thiết bị, máy móc cho điểm cầu trực tuyến tại trụ sở."),
    ],
    "Biên chế, tổ chức bộ máy": [
        ("Bổ sung biên chế công chức còn thiếu",
         "Sau sắp xếp, xã còn thiếu công chức ở các lĩnh vực địa chính, xây dựng, tài chính - kế toán và công nghệ "
         "thông tin, ảnh hưởng đến chất lượng công việc.",
         "Đề nghị bổ sung biên chế ở các lĩnh vực còn thiếu để bảo đảm chuyên môn, nghiệp vụ."),
        ("Kiện toàn Ban Chấp hành, Ban Thường vụ Đảng ủy",
         "Ban Chấp hành, Ban Thường vụ Đảng ủy chưa đủ số lượng ủy viên theo quy định.",
         "Đề nghị Ban Tổ chức Tỉnh ủy hướng dẫn, xem xét bổ sung đủ số lượng ủy viên."),
    ],
    "Giao thông": [
        ("Đầu tư đường giao thông liên thôn",
         "Tuyến đường đất dài khoảng 7 km nối các thôn, làng với trung tâm xã, mùa mưa lầy lội, học sinh đi học và "
         "người dân vận chuyển nông sản rất khó khăn.",
         "Đề nghị tỉnh xem xét, hỗ trợ đầu tư dự án giao thông liên thôn, liên xã."),
        ("Sửa chữa cầu treo qua suối",
         "Cầu treo được xây dựng đã lâu, dây cáp han gỉ, mặt cầu hư hỏng, không bảo đảm an toàn cho người dân.",
         "Đề nghị bố trí kinh phí sửa chữa, gia cố cầu treo trước mùa mưa lũ."),
        ("Bê tông hóa đường nội làng",
         "Đường nội làng chưa được cứng hóa, bụi vào mùa khô, trơn trượt vào mùa mưa.",
         "Đề nghị hỗ trợ xi măng và kinh phí để nhân dân cùng làm đường bê tông nội làng."),
    ],
    "Thủy lợi": [
        ("Nâng cấp hệ thống thủy lợi, kênh mương nội đồng",
         "Kênh mương nội đồng bằng đất bị sạt lở, thất thoát nước, nhiều diện tích lúa nước chỉ sản xuất được một vụ.",
         "Đề nghị tỉnh hỗ trợ đầu tư kiên cố hóa kênh mương và sửa chữa đập dâng."),
        ("Xây dựng đập dâng phục vụ tưới cà phê",
         "Mùa khô thiếu nước tưới cho cà phê, hồ tiêu; người dân phải khoan giếng sâu, chi phí cao.",
         "Đề nghị khảo sát, đầu tư đập dâng và hệ thống tưới tiết kiệm nước."),
    ],
    "Giáo dục (trường học)": [
        ("Xây dựng phòng học, trường học",
         "Điểm trường còn phòng học tạm, tranh tre, học sinh phải học ca ba; nhà vệ sinh và nước sạch không bảo đảm.",
         "Đề nghị tỉnh hỗ trợ kinh phí xây dựng phòng học kiên cố và công trình vệ sinh cho trường học."),
        ("Xây dựng nhà ở bán trú cho học sinh",
         "Học sinh người dân tộc thiểu số ở xa trường phải đi lại hơn 10 km mỗi ngày.",
         "Đề nghị đầu tư nhà ở bán trú và bếp ăn cho học sinh."),
    ],
    "Y tế (trạm y tế)": [
        ("Nâng cấp trạm y tế",
         "Trạm y tế xuống cấp, thiếu trang thiết bị khám chữa bệnh ban đầu, chưa có phòng lưu bệnh nhân.",
         "Đề nghị tỉnh hỗ trợ kinh phí nâng cấp trạm y tế và bổ sung trang thiết bị y tế."),
        ("Bổ sung bác sĩ cho trạm y tế",
         "Trạm y tế chưa có bác sĩ, chỉ có y sĩ và điều dưỡng; người dân phải lên tuyến trên khám bệnh.",
         "Đề nghị Sở Y tế tăng cường bác sĩ luân phiên về trạm y tế."),
    ],
    "Văn hóa (nhà văn hóa thôn, làng)": [
        ("Xây dựng nhà văn hóa thôn, làng",
         "Nhiều thôn, làng chưa có nhà văn hóa; nhà rông truyền thống đã xuống cấp, không đủ chỗ sinh hoạt cộng đồng.",
         "Đề nghị hỗ trợ đầu tư xây dựng nhà văn hóa thôn, làng và sửa chữa nhà rông."),
        ("Hỗ trợ bộ cồng chiêng cho làng",
         "Đội cồng chiêng của làng thiếu nhạc cụ, việc truyền dạy cho thế hệ trẻ gặp khó khăn.",
         "Đề nghị hỗ trợ bộ cồng chiêng và kinh phí mở lớp truyền dạy."),
    ],
    "Phân cấp, phân quyền": [
        ("Ban hành quy định phân cấp, phân quyền cho UBND cấp xã",
         "Nhiều thủ tục về đất đai, xây dựng vẫn phải chờ cấp tỉnh quyết định, kéo dài thời gian giải quyết hồ sơ.",
         "Đề nghị ban hành quy định phân cấp, phân quyền trên các lĩnh vực để UBND cấp xã chủ động triển khai nhiệm vụ."),
        ("Phân cấp quản lý nguồn lực đầu tư công",
         "Xã chưa được chủ động quyết định các công trình quy mô nhỏ, phải trình tỉnh phê duyệt.",
         "Đề nghị tỉnh phân cấp mạnh cho địa phương tự quyết định nguồn lực đầu tư công."),
    ],
    "Thu hút đầu tư, phát triển kinh tế - xã hội": [
        ("Hỗ trợ kêu gọi đầu tư vào cụm công nghiệp",
         "Cụm công nghiệp đã có quy hoạch nhưng chưa có nhà đầu tư hạ tầng.",
         "Đề nghị tỉnh quan tâm, tạo điều kiện hỗ trợ địa phương thu hút, kêu gọi các nguồn lực đầu tư."),
        ("Phát triển du lịch cộng đồng",
         "Địa phương có tiềm năng du lịch cộng đồng gắn với văn hóa cồng chiêng nhưng thiếu hạ tầng, thiếu quảng bá.",
         "Đề nghị hỗ trợ quy hoạch và quảng bá điểm du lịch cộng đồng."),
    ],
    "Tài chính - ngân sách": [
        ("Bổ sung dự toán chi thường xuyên",
         "Sau sắp xếp, dự toán chi thường xuyên được giao chưa đủ để bảo đảm hoạt động của bộ máy.",
         "Đề nghị Sở Tài chính xem xét bổ sung dự toán chi thường xuyên năm nay."),
        ("Hướng dẫn quyết toán ngân sách của các xã cũ",
         "Việc quyết toán ngân sách của các xã trước sáp nhập còn vướng mắc về chứng từ và tài khoản.",
         "Đề nghị hướng dẫn cụ thể việc khóa sổ, quyết toán ngân sách các xã cũ."),
    ],
    "Nông nghiệp, môi trường, đất đai": [
        ("Giải quyết vướng mắc cấp giấy chứng nhận quyền sử dụng đất",
         "Nhiều hộ dân đang sử dụng đất ổn định nhưng chưa được cấp giấy chứng nhận do sai lệch bản đồ địa chính.",
         "Đề nghị đo đạc, chỉnh lý bản đồ địa chính và hướng dẫn cấp giấy chứng nhận."),
        ("Hỗ trợ giống cây trồng, vật nuôi",
         "Người dân thiếu giống cà phê tái canh và giống bò lai để chuyển đổi sản xuất.",
         "Đề nghị hỗ trợ giống cây trồng, vật nuôi cho hộ nghèo, cận nghèo."),
    ],
    "Đào tạo, tập huấn": [
        ("Tổ chức tập huấn chuyên sâu cho cán bộ, công chức",
         "Đội ngũ cán bộ, công chức cấp xã mới đảm nhận nhiều nhiệm vụ được phân cấp, còn lúng túng về nghiệp vụ.",
         "Đề nghị tổ chức tập huấn chuyên sâu về quản lý tài chính - ngân sách; xây dựng; nông nghiệp, môi "
         "trường, đất đai; công nghệ thông tin."),
        ("Bồi dưỡng kỹ năng chuyển đổi số",
         "Cán bộ bộ phận một cửa chưa thành thạo phần mềm dịch vụ công trực tuyến.",
         "Đề nghị mở lớp bồi dưỡng kỹ năng số cho công chức cấp xã."),
    ],
    "Giảm nghèo, an sinh xã hội": [
        ("Hỗ trợ xóa nhà tạm, nhà dột nát",
         "Trên địa bàn còn nhiều hộ nghèo đang ở nhà tạm, nhà dột nát.",
         "Đề nghị bố trí nguồn lực hỗ trợ xóa nhà tạm, nhà dột nát cho hộ nghèo."),
        ("Hỗ trợ nước sinh hoạt cho vùng khó khăn",
         "Mùa khô các giếng cạn, người dân phải đi xa lấy nước sinh hoạt.",
         "Đề nghị đầu tư công trình cấp nước sinh hoạt tập trung."),
    ],
    "Khác": [
        ("Đặt tên đường, tổ dân phố sau sáp nhập",
         "Sau sáp nhập có nhiều tên thôn, tổ dân phố trùng nhau, gây khó khăn cho người dân khi làm thủ tục.",
         "Đề nghị hướng dẫn quy trình đặt lại tên thôn, tổ dân phố và tên đường."),
        ("Bảo đảm an ninh trật tự khu vực giáp ranh",
         "Khu vực giáp ranh giữa các xã còn phức tạp về an ninh trật tự, tranh chấp đất rẫy.",
         "Đề nghị Công an tỉnh phối hợp tăng cường tuần tra, giải quyết tranh chấp."),
    ],
}

CONTEXT_SENTENCES = [
    "Sau gần 3 tháng vận hành mô hình chính quyền địa phương 2 cấp, bộ máy của xã hoạt động thông suốt nhưng "
    "còn nhiều khó khăn về cơ sở vật chất.",
    "Khối lượng công việc lớn, thời gian gấp, đối tượng tác động rộng.",
    "Trung tâm phục vụ hành chính công cấp xã hoạt động hiệu quả, đáp ứng tốt yêu cầu phục vụ người dân, "
    "doanh nghiệp.",
    "Đội ngũ cán bộ, công chức nhanh chóng thích ứng với yêu cầu nhiệm vụ.",
    "Ý kiến này đã được nêu tại Hội nghị giao ban của Thường trực Tỉnh ủy với Thường trực Đảng ủy các xã, phường.",
    "Nhân dân trong vùng đồng tình và sẵn sàng đóng góp ngày công.",
]

RETURN_REASONS = [
    "Đề nghị bổ sung dự toán kinh phí chi tiết và hồ sơ hiện trạng.",
    "Hồ sơ chưa có ý kiến của Thường trực Đảng ủy xã; đề nghị bổ sung.",
    "Đề nghị làm rõ quy mô, địa điểm và số hộ hưởng lợi.",
]
WITHDRAW_NOTES = [
    "Xã đã bố trí được nguồn vốn của địa phương.",
    "Nội dung đã được giải quyết tại buổi làm việc với sở.",
    "",
]

ANSWERS = {
    "resolved": [
        "{unit} đã bố trí kinh phí trong kế hoạch năm và bàn giao cho xã triển khai.",
        "{unit} đã phối hợp khảo sát, hoàn thành hỗ trợ theo đề nghị của địa phương.",
        "{unit} đã điều chuyển trang thiết bị và bàn giao cho địa phương.",
    ],
    "in_progress": [
        "{unit} đã đưa vào danh mục đề xuất bố trí vốn đầu tư công trung hạn; đang hoàn thiện thủ tục.",
        "{unit} đang phối hợp với các đơn vị liên quan khảo sát, lập dự toán.",
    ],
    "explained": [
        "Nội dung thuộc thẩm quyền của Trung ương; {unit} đã tổng hợp, báo cáo UBND tỉnh kiến nghị Bộ, ngành.",
        "{unit} cung cấp thông tin: địa phương thực hiện theo hướng dẫn đã ban hành, không cần hỗ trợ thêm.",
    ],
}
FEEDBACK_TEXTS = {
    "agree": ["Xã thống nhất với nội dung trả lời.", "Xã đã nhận đủ, cảm ơn sở.", ""],
    "disagree": ["Xã chưa thống nhất, đề nghị xem xét lại tiến độ.", "Nội dung trả lời chưa giải quyết được khó khăn."],
}
OPINIONS = [
    "{unit} thống nhất với đề xuất của xã; đề nghị đơn vị chủ trì rà soát quy mô theo tiêu chuẩn, định mức.",
    "{unit} đề nghị lồng ghép với chương trình mục tiêu quốc gia để bảo đảm nguồn vốn.",
    "{unit} đã cung cấp số liệu theo đề nghị của đơn vị chủ trì.",
]
COMMENTS = [
    "Đề nghị đơn vị chủ trì cập nhật tiến độ.",
    "Xã đã bổ sung hồ sơ theo yêu cầu.",
    "Văn phòng đôn đốc, đề nghị trả lời đúng hạn.",
    "Đã trao đổi trực tiếp với xã qua điện thoại.",
]
LEADER_COMMENTS = [
    "Đề nghị khẩn trương giải quyết dứt điểm; Văn phòng theo dõi, đôn đốc.",
    "Đồng ý chủ trương; các sở phối hợp chặt chẽ, báo cáo kết quả.",
    "Ưu tiên bố trí nguồn lực cho các xã khó khăn.",
]
REOPEN_REASONS = [
    "Xã phản ánh nội dung trả lời chưa giải quyết được vướng mắc; đề nghị xem xét lại.",
    "Theo ý kiến chỉ đạo của lãnh đạo tỉnh, giao đơn vị chủ trì rà soát lại.",
]

# Directives: the Party Secretary's conclusions and their everyday variants.
DIRECTIVE_TOPICS: dict[str, list[tuple[str, str]]] = {
    "Biên chế, tổ chức bộ máy": [
        ("Kiện toàn tổ chức bộ máy, bổ sung đủ ủy viên Ban Chấp hành, Ban Thường vụ Đảng ủy xã, phường",
         "Đảng ủy các xã, phường tiếp tục tập trung kiện toàn tổ chức bộ máy; bổ sung đủ số lượng ủy viên trong Ban "
         "Chấp hành, Ban Thường vụ Đảng ủy; báo cáo kết quả về Thường trực Tỉnh ủy."),
        ("Bổ sung đủ biên chế trong các cơ quan Đảng, chính quyền còn thiếu cán bộ",
         "Rà soát vị trí việc làm, bổ sung đủ biên chế ở các lĩnh vực còn thiếu tại cơ quan Đảng, chính quyền cấp "
         "xã để bảo đảm chuyên môn, nghiệp vụ."),
    ],
    "Thu hút đầu tư, phát triển kinh tế - xã hội": [
        ("Triển khai nghị quyết đại hội Đảng bộ; xây dựng chương trình, kế hoạch hành động",
         "Tập trung triển khai nghị quyết đại hội Đảng bộ địa phương; xây dựng các chương trình, kế hoạch hành động "
         "phát triển kinh tế - xã hội, xây dựng Đảng, chính quyền; hoàn thành các chỉ tiêu tỉnh giao."),
        ("Phấn đấu tăng trưởng hai con số giai đoạn 2026-2030",
         "Các địa phương rà soát chỉ tiêu, đề ra giải pháp cụ thể đáp ứng yêu cầu tăng trưởng 2 con số."),
    ],
    "Giảm nghèo, an sinh xã hội": [
        ("Quan tâm công tác giảm nghèo, bảo đảm an sinh xã hội cho người dân",
         "Các xã, phường quan tâm công tác giảm nghèo, bảo đảm an sinh xã hội cho người dân; báo cáo kết quả định kỳ."),
    ],
    "Trang thiết bị, hạ tầng CNTT, phần mềm dùng chung": [
        ("Đầu tư kinh phí hoàn thiện cơ sở hạ tầng, trang thiết bị cho xã, phường",
         "Các sở, ngành của tỉnh tiếp tục quan tâm đầu tư kinh phí giúp các xã, phường xây dựng hoàn thiện cơ sở hạ "
         "tầng; trang bị đầy đủ trang thiết bị, máy móc giúp các địa phương hoạt động hiệu quả."),
        ("Triển khai phần mềm dùng chung phục vụ chính quyền số",
         "Hoàn thành triển khai phần mềm dùng chung, kết nối liên thông hệ thống quản lý văn bản, một cửa điện tử."),
    ],
    "Phân cấp, phân quyền": [
        ("Rà soát cơ chế phân cấp, phân quyền cho xã, phường, nhất là về nguồn lực đầu tư công",
         "Rà soát lại cơ chế phân cấp, phân quyền theo hướng tỉnh phân cấp mạnh cho các địa phương tự quyết định, "
         "nhất là về nguồn lực đầu tư công."),
    ],
    "Trụ sở làm việc": [
        ("Rà soát hiện trạng trụ sở làm việc sau sắp xếp đơn vị hành chính",
         "Các xã, phường rà soát hiện trạng trụ sở, đề xuất phương án sử dụng, sắp xếp lại và xử lý tài sản công dôi dư."),
    ],
    "Đào tạo, tập huấn": [
        ("Tổ chức tập huấn chuyên sâu cho cán bộ, công chức cấp xã",
         "Các sở, ngành tổ chức tập huấn chuyên sâu, hỗ trợ công tác chuyên môn về quản lý tài chính - ngân sách; "
         "xây dựng; nông nghiệp, môi trường, đất đai; công nghệ thông tin."),
    ],
    "Giao thông": [
        ("Rà soát, đề xuất danh mục đường giao thông liên thôn, liên xã cần đầu tư",
         "Các địa phương rà soát, lập danh mục công trình giao thông liên thôn, liên xã cần đầu tư, gửi Sở Xây dựng tổng hợp."),
    ],
    "Tài chính - ngân sách": [
        ("Hoàn thành khóa sổ, quyết toán ngân sách các xã trước sắp xếp",
         "Các xã, phường hoàn thành khóa sổ kế toán, quyết toán ngân sách của các xã cũ theo hướng dẫn của Sở Tài chính."),
    ],
}
DIRECTIVE_SUFFIXES = [
    "", " năm {year}", " quý {quarter}/{year}", " trong tháng {month}/{year}", " đợt {n}",
]

REPORT_OPENERS = [
    "Đã ban hành kế hoạch thực hiện, phân công cán bộ phụ trách.",
    "Đã tổ chức hội nghị triển khai đến các chi bộ, thôn, làng.",
    "Đang rà soát, tổng hợp số liệu; dự kiến hoàn thành trong tháng.",
    "Đã hoàn thành phần lớn khối lượng công việc, đang hoàn thiện hồ sơ báo cáo.",
    "Đã làm việc với các thôn, làng để thống nhất phương án.",
    "Đã báo cáo Thường trực Đảng ủy cho ý kiến.",
    "Đã phối hợp với sở, ngành liên quan khảo sát thực tế.",
]
REPORT_DETAILS = [
    "Khó khăn: thiếu kinh phí, đề nghị tỉnh hỗ trợ.",
    "Kết quả: {n} thôn, làng đã triển khai.",
    "Đã giải quyết {n} hồ sơ, đúng hạn trên 90%.",
    "Không phát sinh vướng mắc.",
    "Đề xuất: bổ sung biên chế công chức địa chính.",
    "",
]
EXTENSION_REASONS = [
    "Khối lượng công việc lớn, địa bàn rộng, đề nghị gia hạn để hoàn thành.",
    "Chờ ý kiến hướng dẫn của sở, ngành.",
    "Mùa mưa, không thể thi công.",
]
STOP_REASONS = [
    "Nội dung đã được lồng ghép vào chỉ đạo khác.",
    "Tạm dừng theo ý kiến của Thường trực Tỉnh ủy.",
    "Điều chỉnh chủ trương đầu tư.",
]
DIRECTIVE_COMMENTS = [
    "Đề nghị các đơn vị báo cáo đúng hạn; Văn phòng Tỉnh ủy tổng hợp.",
    "Biểu dương các xã, phường đã hoàn thành sớm.",
    "Các đơn vị chậm tiến độ cần nêu rõ nguyên nhân.",
]

MEETING_TITLES = [
    "Hội nghị giao ban Thường trực Tỉnh ủy với Thường trực Đảng ủy các xã, phường tháng {month}/{year}",
    "Hội nghị giao ban UBND tỉnh quý {quarter}/{year}",
    "Buổi làm việc của Thường trực Tỉnh ủy với Đảng ủy {commune}",
    "Hội nghị chuyên đề về {topic}",
]
MEETING_TOPICS = [
    "chuyển đổi số cấp xã", "giảm nghèo bền vững", "phân cấp, phân quyền", "đầu tư công trung hạn",
    "vận hành chính quyền địa phương 2 cấp",
]
MEETING_SUMMARY = (
    "Đánh giá tình hình vận hành mô hình chính quyền địa phương 2 cấp; các xã, phường kiến nghị kinh phí "
    "xây dựng trụ sở, trang thiết bị và hạ tầng công nghệ thông tin, bổ sung biên chế, đầu tư giao thông, "
    "thủy lợi, trường học, trạm y tế, nhà văn hóa thôn, làng."
)
ATTACHMENT_NAMES = [
    ("Tờ trình đề nghị hỗ trợ kinh phí.pdf", "application/pdf"),
    ("Dự toán chi tiết.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("Báo cáo hiện trạng.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Hình ảnh hiện trạng.jpg", "image/jpeg"),
    ("Biên bản khảo sát.pdf", "application/pdf"),
]


def person_name(rng: Random) -> str:
    middle = rng.choice(MIDDLE_NAMES)
    given = rng.choice(GIVEN_NAMES)
    if middle == "H'":
        return f"{rng.choice(FAMILY_NAMES)} H'{given}"
    return " ".join(part for part in (rng.choice(FAMILY_NAMES), middle, given) if part)


def proposal_text(rng: Random, field: str, commune: str) -> tuple[str, str, str]:
    """(title, content, location) of a commune's proposal in field."""
    stem, situation, ask = rng.choice(FIELD_TOPICS.get(field) or FIELD_TOPICS["Khác"])
    location = rng.choice(VILLAGES) if rng.random() < 0.5 else (f"Thôn {rng.randint(1, 15)}" if rng.random() < 0.5 else "")
    # "Xã Ia Boòng" reads "xã Ia Boòng" inside a sentence.
    title = f"{stem} {commune[0].lower() + commune[1:]}"
    if location and rng.random() < 0.4:
        title += f", {location}"
    parts = [situation]
    if rng.random() < 0.6:
        parts.append(rng.choice(CONTEXT_SENTENCES))
    parts.append(ask)
    return title[:300], "\n\n".join(parts), location


def directive_text(rng: Random, field: str, day) -> tuple[str, str]:
    topics = DIRECTIVE_TOPICS.get(field) or [pair for group in DIRECTIVE_TOPICS.values() for pair in group]
    title, content = rng.choice(topics)
    suffix = rng.choice(DIRECTIVE_SUFFIXES).format(
        year=day.year, quarter=(day.month - 1) // 3 + 1, month=day.month, n=rng.randint(1, 4)
    )
    return (title + suffix)[:300], content


def report_text(rng: Random) -> str:
    detail = rng.choice(REPORT_DETAILS).format(n=rng.randint(2, 40))
    return f"{rng.choice(REPORT_OPENERS)} {detail}".strip()
