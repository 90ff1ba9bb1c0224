"""Every rate is rounded and printed one way (app/rates.py)."""

import pytest

from app import rates
from app.directives import status


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [
        (8755, 10000, "87,6%"),   # half up: float rounding gave 87,5%
        (8745, 10000, "87,5%"),   # 87,45 → 87,5
        (1999, 2000, "99,9%"),    # not 100%: one task is not done
        (1, 2000, "0,1%"),        # not 0%: one task is done
        (2000, 2000, "100%"),
        (0, 2000, "0%"),
        (7, 8, "87,5%"),
        (2, 3, "66,7%"),
        (262589, 269439, "97,5%"),
        (262589, 293275, "89,5%"),
        (269439, 293275, "91,9%"),
        (0, 0, "—"),
    ],
)
def test_format_percent(part, whole, text):
    assert rates.format_percent(part, whole) == text


def test_a_rate_needs_a_part_within_its_whole():
    with pytest.raises(ValueError):
        rates.format_percent(3, 2)


def test_a_rate_names_what_it_divides(app):
    with app.test_request_context():
        counts = status.count_keys([status.DONE_ON_TIME] * 34 + [status.OPEN_ON_TIME] * 102)
        rate = counts.completion
        assert rate.text == "100%"
        assert rate.label == "Tỷ lệ hoàn thành nhiệm vụ đến hạn"
        assert rate.counts_text.startswith("34/34: nhiệm vụ đã hoàn thành trên nhiệm vụ đã đến hạn")
        assert counts.total == 136


def test_the_total_leaves_cancelled_tasks_out_everywhere():
    counts = status.count_keys([status.DONE_ON_TIME] * 3 + [status.SUSPENDED] + [status.CANCELLED])
    assert counts.total == counts.active_total == 4
    assert counts[status.CANCELLED] == 1


def test_format_percent_writes_what_babel_writes():
    """The one-decimal figures skip Babel; every part/whole up to 300 and some large ones
    must still read as Babel's "#,##0.0" writes them for vi_VN."""
    from babel.numbers import format_decimal

    from app.rates import percent_digits

    pairs = [(part, whole) for whole in range(1, 301) for part in range(whole + 1)]
    pairs += [(1, 2000), (1999, 2000), (293274, 293275), (12345, 67890)]
    for part, whole in pairs:
        value = percent_digits(part, whole)
        expected = f"{int(value)}%" if value == value.to_integral_value() else (
            format_decimal(value, format="#,##0.0", locale="vi_VN") + "%")
        assert rates.format_percent(part, whole) == expected, (part, whole)


def test_a_rate_shows_its_counts_on_hover_to_screen_readers_and_in_print(app):
    with app.test_request_context():
        html = str(rates.rate_html(rates.Rate(rates.COMPLETION, 1234, 2000)))
    assert html == (
        '<span class="rate" data-rate-kind="completion" data-part="1234" data-whole="2000"'
        ' title="Tỷ lệ hoàn thành nhiệm vụ đến hạn: 1.234/2.000: nhiệm vụ đã hoàn thành trên nhiệm vụ đã'
        ' đến hạn (đã hoàn thành và đang thực hiện quá hạn)"><span class="rate-value">61,7%</span>'
        '<span class="visually-hidden">, 1.234/2.000: nhiệm vụ đã hoàn thành trên nhiệm vụ đã đến hạn'
        ' (đã hoàn thành và đang thực hiện quá hạn)</span><small class="rate-counts" aria-hidden="true">'
        ' (1.234/2.000)</small></span>'
    )


def test_a_dashboard_count_links_to_its_list_escaped(app):
    from app.dashboard.services import Count, count_html

    with app.test_request_context():
        assert str(count_html(Count(12345, "/proposals/?q=a&state=closed"))) == (
            '<a href="/proposals/?q=a&amp;state=closed" data-count="12345">12.345</a>'
        )
        assert str(count_html({"value": 0, "href": '/x?"<'})) == '<a href="/x?&#34;&lt;" data-count="0">0</a>'
