"""Every seeded body prints the header a clerk of Gia Lai expects (ND 30/2020, HD 36-HD/VPTW).

The table below is the reference: superior line / name lines / number line / signer / layout.
Changing a body's header data (app/data/provincial_bodies_52.csv) means changing this table.
"""

from datetime import date

from sqlalchemy import select

from app.documents.headers import header_of
from app.documents.model import NUMBER_BLANK, build_header
from app.extensions import db
from app.models import COMMUNE_KINDS, Unit

ON = date(2026, 12, 2)
DATE_LINE = "Gia Lai, ngày 02 tháng 12 năm 2026"

# code: (superior line, name lines, number symbol after the blank, signer lines, Party layout)
EXPECTED = {
    "TU": ("ĐẢNG BỘ TỈNH GIA LAI", "TỈNH ỦY", "-BC/TU", "T/M BAN THƯỜNG VỤ|BÍ THƯ", True),
    "TU-VP": ("TỈNH ỦY GIA LAI", "VĂN PHÒNG", "-BC/VPTU", "CHÁNH VĂN PHÒNG", True),
    "TU-BTC": ("TỈNH ỦY GIA LAI", "BAN TỔ CHỨC", "-BC/BTCTU", "TRƯỞNG BAN", True),
    "TU-BTGDV": ("TỈNH ỦY GIA LAI", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "-BC/BTGDVTU", "TRƯỞNG BAN", True),
    "TU-BNC": ("TỈNH ỦY GIA LAI", "BAN NỘI CHÍNH", "-BC/BNCTU", "TRƯỞNG BAN", True),
    "TU-UBKT": ("TỈNH ỦY GIA LAI", "ỦY BAN KIỂM TRA", "-BC/UBKTTU", "CHỦ NHIỆM", True),
    "VP-DBQH-HDND": ("ĐOÀN ĐBQH VÀ HĐND TỈNH GIA LAI", "VĂN PHÒNG", "/BC-VPĐĐBQH&HĐND", "CHÁNH VĂN PHÒNG", False),
    "UBND": ("", "ỦY BAN NHÂN DÂN|TỈNH GIA LAI", "/BC-UBND", "TM. ỦY BAN NHÂN DÂN|CHỦ TỊCH", False),
    "UB-VP": ("UBND TỈNH GIA LAI", "VĂN PHÒNG", "/BC-VPUBND", "CHÁNH VĂN PHÒNG", False),
    "SNV": ("UBND TỈNH GIA LAI", "SỞ NỘI VỤ", "/BC-SNV", "GIÁM ĐỐC", False),
    "STP": ("UBND TỈNH GIA LAI", "SỞ TƯ PHÁP", "/BC-STP", "GIÁM ĐỐC", False),
    "STC": ("UBND TỈNH GIA LAI", "SỞ TÀI CHÍNH", "/BC-STC", "GIÁM ĐỐC", False),
    "SCT": ("UBND TỈNH GIA LAI", "SỞ CÔNG THƯƠNG", "/BC-SCT", "GIÁM ĐỐC", False),
    "SNNMT": ("UBND TỈNH GIA LAI", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "/BC-SNNMT", "GIÁM ĐỐC", False),
    "SXD": ("UBND TỈNH GIA LAI", "SỞ XÂY DỰNG", "/BC-SXD", "GIÁM ĐỐC", False),
    "SKHCN": ("UBND TỈNH GIA LAI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "/BC-SKHCN", "GIÁM ĐỐC", False),
    "SVHTTDL": ("UBND TỈNH GIA LAI", "SỞ VĂN HÓA, THỂ THAO|VÀ DU LỊCH", "/BC-SVHTTDL", "GIÁM ĐỐC", False),
    "SGDDT": ("UBND TỈNH GIA LAI", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "/BC-SGDĐT", "GIÁM ĐỐC", False),
    "SYT": ("UBND TỈNH GIA LAI", "SỞ Y TẾ", "/BC-SYT", "GIÁM ĐỐC", False),
    "SDTTG": ("UBND TỈNH GIA LAI", "SỞ DÂN TỘC VÀ TÔN GIÁO", "/BC-SDTTG", "GIÁM ĐỐC", False),
    "SNGV": ("UBND TỈNH GIA LAI", "SỞ NGOẠI VỤ", "/BC-SNGV", "GIÁM ĐỐC", False),
    "TTT": ("UBND TỈNH GIA LAI", "THANH TRA TỈNH", "/BC-TTr", "CHÁNH THANH TRA", False),
    "BQLKKT": ("UBND TỈNH GIA LAI", "BAN QUẢN LÝ KHU KINH TẾ", "/BC-BQLKKT", "TRƯỞNG BAN", False),
    "MTTQ": ("", "ỦY BAN MẶT TRẬN TỔ QUỐC|VIỆT NAM TỈNH GIA LAI", "/BC-MTTQ-BTT", "TM. BAN THƯỜNG TRỰC|CHỦ TỊCH", False),
    "CAT": ("BỘ CÔNG AN", "CÔNG AN TỈNH GIA LAI", "/BC-CAT", "GIÁM ĐỐC", False),
    "BCHQS": ("QUÂN KHU 5", "BỘ CHỈ HUY QUÂN SỰ|TỈNH GIA LAI", "/BC-BCH", "CHỈ HUY TRƯỞNG", False),
}

# A sample of the 135 communes, spelled out; the rule below covers every one of them.
COMMUNES = {
    "Xã Ia Boòng": ("ỦY BAN NHÂN DÂN|XÃ IA BOÒNG", "Ia Boòng"),
    "Phường Pleiku": ("ỦY BAN NHÂN DÂN|PHƯỜNG PLEIKU", "Pleiku"),
    "Phường Quy Nhơn": ("ỦY BAN NHÂN DÂN|PHƯỜNG QUY NHƠN", "Quy Nhơn"),
}


def _printed(unit: Unit):
    header = build_header(header_of(unit, 52), ON)
    number_mark = "Số" if header.party else "Số:"
    assert header.number_line.startswith(number_mark + NUMBER_BLANK)
    return (
        header.parent_body,
        header.issuing_body.replace("\n", "|"),
        header.number_suffix,
        "|".join(header_of(unit, 52).signer),
        header.party,
    ), header


def test_every_seeded_body_prints_its_expected_header(app):
    with app.app_context():
        bodies = list(db.session.scalars(select(Unit).where(Unit.kind.not_in(COMMUNE_KINDS))))
        printed = {}
        for unit in bodies:
            printed[unit.code], header = _printed(unit)
            assert header.place_date == DATE_LINE
            motto = ("ĐẢNG CỘNG SẢN VIỆT NAM",) if header.party else (
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
            assert header.national_lines == motto
    assert printed == EXPECTED


def test_every_commune_and_ward_prints_as_its_peoples_committee(app):
    with app.app_context():
        communes = list(db.session.scalars(select(Unit).where(Unit.kind.in_(COMMUNE_KINDS))))
        assert (sum(u.kind == "xa" for u in communes), sum(u.kind == "phuong" for u in communes)) == (110, 25)
        for unit in communes:
            (superior, name, symbol, signer, party), header = _printed(unit)
            word, place = unit.name.split(" ", 1)
            assert (superior, name, symbol, signer, party) == (
                "", f"ỦY BAN NHÂN DÂN|{unit.name.upper()}", "/BC-UBND", "TM. ỦY BAN NHÂN DÂN|CHỦ TỊCH", False)
            assert word in ("Xã", "Phường") and header.place_date == f"{place}, ngày 02 tháng 12 năm 2026"
        by_name = {u.name: u for u in communes}
        for name, (lines, place) in COMMUNES.items():
            printed, header = _printed(by_name[name])
            assert printed[1] == lines and header.place_date.startswith(place + ", ngày ")


def test_the_offices_draft_for_the_tinh_uy_and_the_ubnd(app):
    with app.app_context():
        drafts_for = dict(db.session.execute(select(Unit.code, Unit.doc_drafts_for).where(Unit.doc_drafts_for != "")).all())
    assert drafts_for == {"TU-VP": "TU", "UB-VP": "UBND"}


def test_setup_again_keeps_an_admins_edit_and_fills_a_new_unit(app):
    from app.cli import run_setup

    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == "SXD"))
        unit.doc_abbr = "SXD-TH"
        db.session.commit()
        run_setup(52)
        assert db.session.scalar(select(Unit.doc_abbr).where(Unit.code == "SXD")) == "SXD-TH"
