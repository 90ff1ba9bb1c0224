"""The filters' <select> boxes are written by app.forms.FastSelect, with WTForms' exact HTML."""

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

from app.forms import BaseForm, FastSelect, choices

CHOICES = choices([
    ("", _l("Tất cả")),
    ("3", 'Xã "Hòa <Bình>" & Sơn'),
    ("7", "Sở Xây dựng"),
    ("x'y", ""),  # no label: the value is shown
    (True, "Có"),
])


class _Filter(BaseForm):
    class Meta:
        csrf = False

    unit = SelectField("Đơn vị", choices=CHOICES, validate_choice=False)
    units = SelectMultipleField("Đơn vị", choices=CHOICES, validate_choice=False)
    kind = SelectField("Loại", choices=choices([("a", "A"), ("b", "B")]), render_kw={"class": "small"})


def test_every_select_of_a_form_uses_the_fast_widget(app):
    with app.test_request_context("/?unit=3&units=7&units=x%27y"):
        form = _Filter()
        assert isinstance(form.unit.widget, FastSelect)
        assert isinstance(form.units.widget, FastSelect)
        assert form.units.widget.multiple


def test_the_html_is_wtforms_own_byte_for_byte(app):
    with app.test_request_context("/?unit=3&units=7&units=x%27y&kind=b"):
        form = _Filter(formdata=request.args)
        for field in (form.unit, form.units, form.kind):
            fast = field()
            stock = Select(multiple=field.widget.multiple)(field, **(field.render_kw or {}))
            assert str(fast) == str(stock)
        page = str(form.unit())
        assert '<option selected value="3">Xã &#34;Hòa &lt;Bình&gt;&#34; &amp; Sơn</option>' in page
        assert '<option value="x&#39;y">x&#39;y</option>' in page
        assert '<option value="True">Có</option>' in page


def test_an_option_with_its_own_attributes_goes_the_stock_way(app):
    with app.test_request_context("/"):
        form = _Filter()
        form.unit.choices = [SelectChoice(1, "Một", render_kw={"data-kind": "xa"}), SelectChoice(2, "Hai")]
        assert '<option data-kind="xa" value="1">Một</option><option value="2">Hai</option>' in str(form.unit())
