"""Server-side SVG charts: titled, one titled shape per number, grey on paper, escaped."""

import xml.etree.ElementTree as ET

import pytest

from app.dashboard import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 — SVG the app itself wrote


def test_bar_chart_has_a_title_and_one_titled_linked_bar_per_item():
    bars = [charts.Bar("Đã gửi", 40, "/proposals/?state=submitted"), charts.Bar("Hoàn thành", 10, None),
            charts.Bar("Đã rút", 0, "/proposals/?state=withdrawn")]
    svg = parse(charts.bar_chart("chart-states", "Kiến nghị theo trạng thái", bars))
    # Its bars are links: a labelled group (an image may hold no links; axe nested-interactive).
    assert svg.get("role") == "group" and svg.get("aria-labelledby") == "chart-states-title"
    assert svg.find(f"{SVG}title").text == "Kiến nghị theo trạng thái"
    groups = svg.findall(f".//{SVG}g[@class='bar']")
    assert [g.find(f"{SVG}title").text for g in groups] == ["Đã gửi: 40", "Hoàn thành: 10", "Đã rút: 0"]
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in groups]
    assert widths[0] == pytest.approx(4 * widths[1], abs=0.3) and widths[2] == 0  # lengths rounded to 0.1
    links = [a.get("href") for a in svg.findall(f"{SVG}a")]
    assert links == ["/proposals/?state=submitted", "/proposals/?state=withdrawn"]
    fills = {r.get("fill") for r in svg.iter(f"{SVG}rect")}
    assert fills == {charts.BAR_FILL}  # grey: prints the same on any printer


def test_labels_are_escaped_and_long_ones_shortened_with_the_full_text_in_the_title():
    name = "Văn hóa <nhà văn hóa thôn, làng> & các thiết chế văn hóa cơ sở"
    svg = parse(charts.bar_chart("chart-fields", "Lĩnh vực", [charts.Bar(name, 3, "/p?a=1&b=2")]))
    group = svg.find(f".//{SVG}g[@class='bar']")
    assert group.find(f"{SVG}title").text == f"{name}: 3"
    label = group.find(f"{SVG}text").text
    assert label.endswith("…") and len(label) <= 26
    assert svg.find(f"{SVG}a").get("href") == "/p?a=1&b=2"


def test_stacked_bar_parts_are_proportional_and_told_apart_by_pattern():
    parts = [charts.Bar("Hoàn thành đúng hạn", 30, "/a"), charts.Bar("Hoàn thành quá hạn", 10, "/b"),
             charts.Bar("Đang thực hiện trong hạn", 0, "/c"), charts.Bar("Đang thực hiện quá hạn", 20, "/d"),
             charts.Bar("Thường xuyên", 20, "/e")]
    svg = parse(charts.stacked_bar("chart-tasks", "Năm nhóm", parts, width=400))
    shown = svg.findall(f".//{SVG}g[@class='part']")
    assert [g.find(f"{SVG}title").text for g in shown] == [
        "Hoàn thành đúng hạn: 30", "Hoàn thành quá hạn: 10", "Đang thực hiện quá hạn: 20", "Thường xuyên: 20"]
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in shown]
    assert widths == pytest.approx([150, 50, 100, 100])
    fills = [g.find(f"{SVG}rect").get("fill") for g in shown]
    assert len(set(fills)) == 4 and all(f.startswith("url(#chart-tasks-p") for f in fills)
    patterns = {p.get("id") for p in svg.iter(f"{SVG}pattern")}
    assert {f[5:-1] for f in fills} <= patterns
    legend = [t.text for t in svg.findall(f".//{SVG}g[@class='legend']/{SVG}text")]
    assert legend[2] == "Đang thực hiện trong hạn: 0"  # a zero still has its line in the legend


def test_empty_stacked_bar_draws_an_outline_and_chart_ids_come_from_code():
    svg = parse(charts.stacked_bar("chart-empty", "Không có", [charts.Bar("A", 0)]))
    assert svg.find(f".//{SVG}g[@class='part']") is None
    assert any(r.get("stroke-dasharray") for r in svg.iter(f"{SVG}rect"))
    with pytest.raises(ValueError):
        charts.bar_chart('x" onload="alert(1)', "t", [])
