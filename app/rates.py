"""Rates as a leader reads them: one way to round, one way to print, always with what they divide.

Every percentage the application shows or prints goes through ``format_percent`` (screens,
the four reports, the Excel exports, the demo's meeting summary), so that the same two counts
always give the same text:

- one decimal, rounded half up on the exact fraction (Decimal, not float): 0,8755 → 87,6%;
- "100%" only when every counted item is done, "0%" only when none is: 1.999/2.000 prints
  99,9% and 1/2.000 prints 0,1%, never a figure the counts do not support;
- a decimal comma and Vietnamese digit grouping; "—" when there is nothing to divide.

A ``Rate`` keeps the two counts with the rate's kind, so that the page can name what is
divided ("Tỷ lệ hoàn thành nhiệm vụ đến hạn") and show both counts on hover and in print
(rate_html, the template global ``rate``). It holds plain ints and a key, so that it can be kept in the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.formatting import format_number

NO_RATE = "—"
_TENTH = Decimal("0.1")
_HUNDRED = Decimal(100)

COMPLETION = "completion"
ON_TIME = "on_time"
RESOLVED = "resolved"
RESOLVED_ON_TIME = "resolved_on_time"
RECEIVED_ON_TIME = "received_on_time"

# kind -> (the rate's name, what the numerator counts, what the denominator counts)
KINDS = {
    COMPLETION: (
        _l("Tỷ lệ hoàn thành nhiệm vụ đến hạn"),
        _l("nhiệm vụ đã hoàn thành"),
        _l("nhiệm vụ đã đến hạn (đã hoàn thành và đang thực hiện quá hạn)"),
    ),
    ON_TIME: (
        _l("Tỷ lệ hoàn thành đúng hạn"),
        _l("nhiệm vụ hoàn thành đúng hạn"),
        _l("nhiệm vụ đã hoàn thành"),
    ),
    RESOLVED: (_l("Tỷ lệ hồ sơ đã giải quyết"), _l("hồ sơ đã giải quyết"), _l("hồ sơ tiếp nhận")),
    RESOLVED_ON_TIME: (
        _l("Tỷ lệ giải quyết đúng và trước hạn"), _l("hồ sơ giải quyết đúng và trước hạn"), _l("hồ sơ đã giải quyết"),
    ),
    RECEIVED_ON_TIME: (
        _l("Tỷ lệ giải quyết đúng và trước hạn trên số tiếp nhận"),
        _l("hồ sơ giải quyết đúng và trước hạn"),
        _l("hồ sơ tiếp nhận"),
    ),
}


# (catalogue id, kind) -> (catalogue, name, part label, whole label, counts sentence)
_TEXTS: dict[tuple[int, str], tuple] = {}


def _kind_texts(kind: str) -> tuple:
    """A kind's name, its counts' names and the sentence that joins them, in the request's
    language: translated once per catalogue, not four times per rate (a dashboard shows 300)."""
    catalogue = get_translations()
    held = _TEXTS.get((id(catalogue), kind))
    if held is None or held[0] is not catalogue:
        name, part_label, whole_label = (str(text) for text in KINDS[kind])
        # Without arguments gettext returns the sentence unformatted; counts_text fills it in.
        sentence = _("%(part)s/%(whole)s: %(part_label)s trên %(whole_label)s")
        held = _TEXTS[(id(catalogue), kind)] = (catalogue, name, part_label, whole_label, sentence)
    return held


def percent_digits(part: int, whole: int) -> Decimal | None:
    """part/whole in percent with one decimal, half up, never 100 or 0 unless exactly so."""
    if not whole:
        return None
    if part < 0 or part > whole:
        raise ValueError(f"a rate needs 0 <= part <= whole, got {part}/{whole}")
    value = (Decimal(part) * _HUNDRED / Decimal(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)
    if value == _HUNDRED and part != whole:
        return Decimal("99.9")
    if value == 0 and part:
        return _TENTH
    return value


def format_percent(part: int, whole: int) -> str:
    """87,6% (one decimal at most, decimal comma); "—" when whole is 0."""
    value = percent_digits(part, whole)
    if value is None:
        return NO_RATE
    if value == value.to_integral_value():
        return f"{int(value)}%"
    # Below 100 with one decimal: what Babel's "#,##0.0" writes for vi_VN, without its cost.
    return f"{value:.1f}".replace(".", ",") + "%"


@dataclass(frozen=True)
class Rate:
    """A rate with the two counts it is computed from."""

    kind: str
    part: int
    whole: int

    @property
    def text(self) -> str:
        return format_percent(self.part, self.whole)

    @property
    def label(self) -> str:
        return _kind_texts(self.kind)[1]

    @property
    def counts_text(self) -> str:
        """34/40: nhiệm vụ đã hoàn thành trên nhiệm vụ đã đến hạn (…)."""
        return _counts_text(self, _kind_texts(self.kind))

    def __str__(self) -> str:
        return self.text


def _counts_text(rate: Rate, texts: tuple) -> str:
    _catalogue, _name, part_label, whole_label, sentence = texts
    return sentence % {
        "part": format_number(rate.part), "whole": format_number(rate.whole),
        "part_label": part_label, "whole_label": whole_label,
    }


def rate_html(rate: Rate) -> Markup:
    """The one way a page shows a rate (the template global ``rate``): the percentage, with the
    two counts it divides on hover (title), for screen readers (visually hidden text) and in
    print (shown there by the print stylesheet).

    Written in Python, not as a Jinja macro: the dashboard's ranking shows 300 of them, and a
    macro call costs several times what the text does. The kind's texts are looked up once
    (finding the request's catalogue was half of its cost)."""
    texts = _kind_texts(rate.kind)
    counts = escape(_counts_text(rate, texts))
    return Markup(  # noqa: S704 — every value in it is escaped or an int
        f'<span class="rate" data-rate-kind="{escape(rate.kind)}" data-part="{rate.part}" data-whole="{rate.whole}"'
        f' title="{escape(texts[1])}: {counts}"><span class="rate-value">{escape(rate.text)}</span>'
        f'<span class="visually-hidden">, {counts}</span><small class="rate-counts" aria-hidden="true">'
        f" ({format_number(rate.part)}/{format_number(rate.whole)})</small></span>"
    )
