"""The request's catalogue is found once per request, and again when force_locale changes it."""

from flask_babel import force_locale, get_translations
from flask_babel import gettext as _

from app.extensions import babel
from app.i18n import RequestDomain


def test_the_catalogue_is_looked_up_once_per_request(app, monkeypatch):
    assert isinstance(babel.domain_instance, RequestDomain)
    with app.test_request_context("/"):
        first = get_translations()
        lookups = []
        original = RequestDomain.__mro__[1].get_translations
        monkeypatch.setattr(RequestDomain.__mro__[1], "get_translations",
                            lambda self: lookups.append(1) or original(self))
        for _i in range(50):
            assert get_translations() is first
            _("Đơn vị")
        assert lookups == []


def test_force_locale_gets_its_own_catalogue_and_gives_it_back(app):
    with app.test_request_context("/?lang=en"):
        english = get_translations()
        with force_locale("vi"):
            vietnamese = get_translations()
            assert vietnamese is not english
        assert get_translations() is english


def test_pages_still_read_in_vietnamese(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page
