"""The conclusion-notice parser on real-shaped notices: pure rules, no database."""

from datetime import date
from pathlib import Path

import pytest

from app.conclusions import parser
from app.conclusions.catalogue import ALL_BODIES, ALL_COMMUNES, RELATED, from_reference_data, tokens

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2025, 10, 1)


@pytest.fixture(scope="module")
def cat():
    return from_reference_data(52)


def code(cat, unit_id):
    return cat.by_id[unit_id].code


def codes(cat, ids):
    return [cat.by_id[i].code for i in ids]


def commune(cat, name):
    return next(u.id for u in cat.units if u.is_commune and u.name.split(" ", 1)[1] == name)


def one(text, cat, today=TODAY):
    drafts = parser.parse(text, cat, today=today).drafts
    assert len(drafts) == 1, [d.number for d in drafts]
    return drafts[0]


# ----- splitting --------------------------------------------------------------------------


def test_the_article_notice_splits_into_its_sections_and_numbered_conclusions(cat):
    notice = parser.parse((FIXTURES / "giao_ban_135_xa_phuong.txt").read_text(encoding="utf-8"), cat, today=TODAY)
    assert notice.number == "412-TB/TU"
    assert notice.signed_on == date(2025, 9, 26)
    assert [d.number for d in notice.drafts] == ["I"] + [f"II.{n}" for n in range(1, 9)]
    assert not notice.drafts[0].include and parser.EVALUATION in notice.drafts[0].flags
    assert all(d.include for d in notice.drafts[1:])
    # the closing line and "Nơi nhận" are not items, nor part of the last one
    assert "thông báo để" not in notice.drafts[-1].text and "Nơi nhận" not in notice.drafts[-1].text


def test_letters_bullets_and_sub_numbers_are_items_under_their_parent(cat):
    text = (
        "1. Về chuyển đổi số:\n1.1. Sở Y tế làm A trước ngày 01/12/2025.\n1.2. Sở Xây dựng làm B trước ngày 02/12/2025.\n"
        "2. Về đầu tư:\na) Sở Tài chính làm C.\nb) Sở Tư pháp làm D.\n3. Về các xã, phường:\n- Xã Ia Grai làm E.\n• Xã Ia Ly làm F.\n"
    )
    drafts = parser.parse(text, cat, today=TODAY).drafts
    assert [d.number for d in drafts] == ["1.1", "1.2", "2.a", "2.b", "3.-1", "3.-2"]
    assert drafts[0].context == "Về chuyển đổi số:"
    assert drafts[0].content == "Về chuyển đổi số:\nSở Y tế làm A trước ngày 01/12/2025."


def test_a_pdf_line_starting_with_a_number_out_of_order_continues_the_item(cat):
    text = "1. Sở Nội vụ rà soát biên chế của các cơ quan trong\n15. đơn vị trực thuộc; hoàn thành trước ngày 30/10/2025.\n2. Sở Y tế làm B."
    drafts = parser.parse(text, cat, today=TODAY).drafts
    assert [d.number for d in drafts] == ["1", "2"]
    assert "15. đơn vị trực thuộc" in drafts[0].text and drafts[0].deadline.day == date(2025, 10, 30)


def test_a_lone_star_or_dash_under_the_header_is_not_an_item(cat):
    text = "TỈNH ỦY GIA LAI\n*\n-\nTHÔNG BÁO\n1. Sở Y tế làm A trong tháng 12/2025."
    assert [d.number for d in parser.parse(text, cat, today=TODAY).drafts] == ["1"]


# ----- units and roles --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lead", "support"),
    [
        ("Giao Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với Sở Nội vụ tham mưu bổ sung biên chế.", ["TU-BTC"], ["SNV"]),
        ("Ban Tổ chức chủ trì, phối hợp với Sở Nội vụ thực hiện.", ["TU-BTC"], ["SNV"]),
        ("Sở NN&MT chủ trì, phối hợp Sở KH&CN, Sở GD&ĐT triển khai.", ["SNNMT"], ["SKHCN", "SGDDT"]),
        ("Sở NNMT và Sở VHTTDL phối hợp chặt chẽ với Công an tỉnh.", ["SNNMT", "SVHTTDL"], ["CAT"]),
        ("UBND tỉnh chỉ đạo rà soát quy hoạch.", ["UB-VP"], []),
        ("VP UBND tỉnh chủ trì tổng hợp.", ["UB-VP"], []),
        # the unit after "tham mưu" is who receives the advice, not who does the work
        ("Sở Tài chính tham mưu UBND tỉnh phân bổ vốn.", ["STC"], []),
        ("Sở Xây dựng hướng dẫn Sở Y tế lập hồ sơ.", ["SXD"], []),
        # "trong đó X chủ trì" makes X lead wherever it stands
        ("Kiện toàn bộ máy, trong đó Sở Nội vụ chủ trì, phối hợp với Ban Tổ chức Tỉnh ủy.", ["SNV"], ["TU-BTC"]),
        ("Đề nghị Ủy ban MTTQ Việt Nam tỉnh giám sát.", ["MTTQ"], []),
        ("Giao thông nông thôn: các xã đầu tư.", [], []),
    ],
)
def test_units_and_roles_from_the_wording(cat, text, lead, support):
    draft = one(f"1. {text}", cat)
    assert codes(cat, draft.lead_ids) == lead
    assert codes(cat, draft.support_ids) == support


def test_groups_expand_to_every_commune_or_every_body(cat):
    draft = one("1. Các sở, ban, ngành và UBND các xã, phường triển khai thực hiện.", cat)
    assert set(draft.lead_ids) == set(cat.body_ids) | set(cat.commune_ids)
    assert len(cat.commune_ids) == 135


def test_related_units_and_part_of_the_communes_name_nobody_and_are_flagged(cat):
    draft = one("1. Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan và các xã, phường biên giới thực hiện.", cat)
    assert codes(cat, draft.lead_ids) == ["SYT"] and draft.support_ids == []
    assert parser.RELATED_UNITS in draft.flags
    assert [m.target for m in draft.mentions][1:] == [RELATED, RELATED]


def test_communes_by_name_ignoring_marks_and_which_prefix(cat):
    draft = one("1. UBND xa Ia Grai, phường Đức Cơ và xã Pleiku hoàn thiện hồ sơ.", cat)
    assert draft.lead_ids == [commune(cat, "Ia Grai"), commune(cat, "Đức Cơ"), commune(cat, "Pleiku")]


def test_a_list_after_one_prefix_names_every_commune_in_it(cat):
    draft = one("1. Các xã Chư Păh, Ia Ly và Biển Hồ rà soát hồ sơ.", cat)
    assert draft.lead_ids == [commune(cat, n) for n in ("Chư Păh", "Ia Ly", "Biển Hồ")]


def test_a_commune_name_that_is_also_a_word_needs_its_prefix(cat):
    # Phường Thống Nhất, Xã An Toàn: "thống nhất", "an toàn" are ordinary words
    draft = one("1. Thống nhất giao Sở Y tế bảo đảm an toàn thực phẩm.", cat)
    assert codes(cat, draft.lead_ids) == ["SYT"]


def test_a_sub_item_without_units_takes_its_parents(cat):
    drafts = parser.parse("1. Đối với các xã, phường:\na) Rà soát biên chế trong tháng 10/2025.\nb) Sở Y tế làm B.", cat,
                          today=TODAY).drafts
    assert set(drafts[0].lead_ids) == set(cat.commune_ids) and parser.INHERITED in drafts[0].flags
    assert codes(cat, drafts[1].lead_ids) == ["SYT"]


def test_a_unit_not_in_the_catalogue_is_flagged_by_name(cat):
    draft = one("1. Sở Kế hoạch và Đầu tư tổng hợp nhu cầu vốn.", cat)
    assert draft.lead_ids == [] and parser.NO_LEAD in draft.flags and parser.UNKNOWN_UNIT in draft.flags
    assert draft.unknown == ["Sở Kế hoạch và Đầu tư"]


def test_abbreviations_expand_in_text_and_names_alike():
    assert [t.word for t in tokens("UBND xã")] == ["uy", "ban", "nhan", "dan", "xa"]
    assert [t.word for t in tokens("NN&MT")] == ["nn", "va", "mt"]
    # spans point back into the original text
    text = "Sở Nông nghiệp"
    assert [text[t.start:t.end] for t in tokens(text)] == ["Sở", "Nông", "nghiệp"]


# ----- deadlines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("hoàn thành trước ngày 30/10/2025", date(2025, 10, 30)),
        ("chậm nhất ngày 15 tháng 12 năm 2025", date(2025, 12, 15)),
        ("báo cáo trước 31/12/2025", date(2025, 12, 31)),
        ("hoàn thành trong tháng 10/2025", date(2025, 10, 31)),
        ("hoàn thành trong tháng 2 năm 2028", date(2028, 2, 29)),
        ("trong quý IV/2025", date(2025, 12, 31)),
        ("trong quý I năm 2026", date(2026, 3, 31)),
        ("trong năm 2026", date(2026, 12, 31)),
        ("trong 6 tháng đầu năm 2026", date(2026, 6, 30)),
        # no year: the notice's year, or the next when the day has passed by then
        ("trước ngày 20/12", date(2025, 12, 20)),
        ("trước ngày 15/01", date(2026, 1, 15)),
    ],
)
def test_dated_deadlines(wording, expected):
    found, flags = parser.find_deadline(f"Sở Y tế thực hiện; {wording}.", date(2025, 10, 1))
    assert found.kind == "date" and found.day == expected and flags == []


def test_days_and_working_days_are_left_for_the_issue_day():
    found, _ = parser.find_deadline("gửi Sở Xây dựng trong 10 ngày làm việc.", TODAY)
    assert (found.kind, found.days, found.working) == ("days", 10, True)
    found, _ = parser.find_deadline("hoàn thành trong vòng 30 ngày.", TODAY)
    assert (found.kind, found.days, found.working) == ("days", 30, False)


@pytest.mark.parametrize(
    ("wording", "period", "flags"),
    [
        ("thực hiện thường xuyên, báo cáo kết quả hằng quý", "quarterly", []),
        ("thường xuyên; báo cáo định kỳ hằng tháng", "monthly", []),
        ("báo cáo hằng tuần, thực hiện thường xuyên", "weekly", []),
        ("thực hiện thường xuyên", "monthly", [parser.PERIOD_ASSUMED]),
    ],
)
def test_ongoing_with_its_reporting_period(wording, period, flags):
    found, got_flags = parser.find_deadline(wording, TODAY)
    assert (found.kind, found.reporting_period, got_flags) == ("ongoing", period, flags)


def test_a_stated_date_wins_over_ongoing_and_the_latest_of_several_is_kept():
    found, flags = parser.find_deadline("thường xuyên; báo cáo trước ngày 15/11/2025, hoàn thành trước ngày 30/11/2025", TODAY)
    assert found.day == date(2025, 11, 30) and flags == [parser.SEVERAL_DEADLINES]


def test_an_impossible_date_is_flagged_not_guessed():
    found, flags = parser.find_deadline("hoàn thành trước ngày 31/02/2026", TODAY)
    assert found is None and flags == [parser.BAD_DATE]


def test_no_deadline_and_a_past_one_are_flagged(cat):
    assert parser.NO_DEADLINE in one("1. Sở Y tế khẩn trương triển khai.", cat).flags
    assert parser.PAST_DEADLINE in one("1. Sở Y tế hoàn thành trước ngày 30/09/2025.", cat).flags


def test_the_deadline_span_points_at_the_wording():
    text = "Sở Y tế hoàn thành trước ngày 30/10/2025."
    found, _ = parser.find_deadline(text, TODAY)
    assert text[found.start:found.end] == "trước ngày 30/10/2025"


# ----- field ------------------------------------------------------------------------------


def test_field_from_the_words_of_field_names_and_keywords(cat):
    fields = {f.name: f.id for f in cat.fields}
    assert one("1. Sở Nội vụ bổ sung biên chế, kiện toàn tổ chức bộ máy.", cat).field_id == fields["Biên chế, tổ chức bộ máy"]
    assert one("1. Sở Y tế nâng cấp trạm y tế.", cat).field_id == fields["Y tế (trạm y tế)"]
    draft = one("1. Sở Y tế khẩn trương triển khai.", cat)
    assert draft.field_id is None and parser.NO_FIELD in draft.flags


# ----- the three fixture notices ----------------------------------------------------------


@pytest.mark.parametrize("name", ["giao_ban_135_xa_phuong", "ubnd_dau_tu_cong_quy_iv", "btv_chuyen_doi_so_dan_van"])
def test_every_fixture_notice_reads_as_its_answer_key(cat, name):
    import json

    key = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))["items"]
    drafts = {d.number: d for d in parser.parse((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"), cat,
                                                today=TODAY).drafts}
    assert list(drafts) == [item["number"] for item in key]
    for item in key:
        if item.get("include") is False:
            assert not drafts[item["number"]].include
            continue
        draft = drafts[item["number"]]

        def spelled(ids):
            ids, result = set(ids), set()
            for group, members in (("@communes", cat.commune_ids), ("@bodies", cat.body_ids)):
                if set(members) <= ids:
                    result.add(group)
                    ids -= set(members)
            return result | {
                f"{cat.by_id[i].kind}:{cat.by_id[i].name.split(' ', 1)[1]}" if cat.by_id[i].is_commune
                else cat.by_id[i].code for i in ids
            }

        assert spelled(draft.lead_ids) == set(item["lead"]), item["number"]
        assert spelled(draft.support_ids) == set(item["support"]), item["number"]
        found = draft.deadline
        got = None if found is None else (
            found.day.strftime("%d/%m/%Y") if found.kind == "date"
            else f"ongoing:{found.reporting_period}" if found.kind == "ongoing"
            else f"days:{found.days}:{'working' if found.working else 'calendar'}"
        )
        assert got == item["deadline"], item["number"]


def test_groups_are_constants_the_preview_knows():
    assert {ALL_BODIES, ALL_COMMUNES, RELATED} == {"all_bodies", "all_communes", "related"}


def test_a_section_heading_is_not_part_of_the_directive_and_not_its_title(cat):
    text = "I. ĐÁNH GIÁ CHUNG\nBộ máy vận hành ổn định.\nII. NHIỆM VỤ THỜI GIAN TỚI\n1. Sở Y tế làm A trong tháng 12/2025."
    evaluation, task = parser.parse(text, cat, today=TODAY).drafts
    assert task.content == "Sở Y tế làm A trong tháng 12/2025." and task.context == ""
    assert evaluation.title == "Bộ máy vận hành ổn định"
