"""One search for every list and picker (app/search.py): folded, every word, % and _ plain."""

from sqlalchemy import select

from app import search
from app.directives import services as directives
from app.extensions import db
from app.models import Unit, User
from tests.directives.conftest import make_directive  # noqa: F401  (fixture)


def test_words_are_folded_and_bounded():
    assert search.words("  Trường   HỌC đạt ") == ["truong", "hoc", "dat"]
    assert search.words("") == [] and search.words(None) == []
    assert len(search.words(" ".join(["a"] * 50))) == search.MAX_WORDS


def test_matches_text_needs_every_word_in_one_of_the_texts():
    assert search.matches_text("ia boong", "xa ia boong")
    assert search.matches_text("boong ia", "xa ia boong")
    assert search.matches_text("pleiku sxd", "phuong pleiku", "sxd")
    assert not search.matches_text("ia pleiku", "xa ia boong")
    assert search.matches_text("", "anything")


def _titles(app, user_key, users, q):
    with app.app_context():
        user = db.session.get(User, users[user_key].id)
        rows = db.session.scalars(directives.search_directives(user, {"q": q}, None))
        return {d.title for d in rows}


def test_directive_search_is_every_word_with_percent_and_underscore_plain(app, users, make_directive):  # noqa: F811
    make_directive(title="Giảm nghèo đạt 50 phần trăm")
    make_directive(title="Tỷ lệ 100% hộ có điện")
    make_directive(title="Mã số ho_tro trên hệ thống")
    # Words in another order still find it (the old search took q as one phrase).
    assert _titles(app, "coordinator", users, "ngheo giam") == {"Giảm nghèo đạt 50 phần trăm"}
    # "%" and "_" are characters, not wildcards (the old search matched every directive
    # for "%", and "ho_tro" matched "hoxtro" as well).
    assert _titles(app, "coordinator", users, "100%") == {"Tỷ lệ 100% hộ có điện"}
    assert _titles(app, "coordinator", users, "%") == {"Tỷ lệ 100% hộ có điện"}
    assert _titles(app, "coordinator", users, "_") == {"Mã số ho_tro trên hệ thống"}


def test_unit_search_finds_codes_in_any_case_and_names_by_every_word(app):
    with app.app_context():
        def codes(q):
            return {u.code for u in db.session.scalars(select(Unit).where(search.matches(q, Unit.name_folded, search.code_column(Unit.code))))}

        assert "SXD" in codes("sxd") and "SXD" in codes("SXD")
        assert {u.name for u in directives.picker_units("boong ia")} == {"Xã Ia Boòng"}
        assert directives.picker_units("%") == []
