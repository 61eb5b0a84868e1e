"""The one SVG chart helper (core.charts) and the pages that draw with it."""

import datetime as dt
import re

from django.utils import timezone

from gaoxin.core.charts import bar_chart, line_chart, month_points, nice_step, time_points


def _values(svg: str, tag: str) -> list[tuple[str, int]]:
    return [
        (label, int(v))
        for label, v in re.findall(rf'<{tag} [^>]*data-label="([^"]*)" data-value="(\d+)"', svg)
    ]


def test_a_bar_chart_draws_one_bar_per_value_on_round_grid_lines():
    chart = bar_chart(["一月", "二月", "三月"], [9, 0, 3], title="每月服务人次", unit="人次")
    svg = str(chart)
    assert _values(svg, "rect") == [("一月", 9), ("二月", 0), ("三月", 3)]
    assert [int(t) for t in re.findall(r'fill="#666666">(\d+)</text>', svg)] == [0, 5, 10]
    heights = [float(h) for h in re.findall(r'class="bar"[^>]*height="([\d.]+)"', svg)]
    assert heights[0] > heights[2] > heights[1] == 0
    assert "<title>一月：9 人次</title>" in svg
    assert chart.total == 12 and not chart.empty


def test_a_chart_is_an_accessible_image_with_chinese_title_and_description():
    svg = str(
        bar_chart(
            ["2025-01", "2025-02"],
            [6000, 45],
            title="每月服务人次",
            unit="人次",
            html_id="month-chart",
        )
    )
    assert 'role="img" aria-labelledby="month-chart-title month-chart-desc"' in svg
    assert '<title id="month-chart-title">每月服务人次</title>' in svg
    assert '<desc id="month-chart-desc">2025-01 至 2025-02，共 2 项，合计 6045 人次。</desc>' in svg
    assert "<script" not in svg


def test_axis_figures_go_through_core_numbers():
    svg = str(bar_chart(["甲"], [40000], title="t"))
    assert ">4 万</text>" in svg and ">2 万</text>" in svg


def test_empty_data_says_so_in_chinese():
    chart = bar_chart([], [], title="每月服务人次")
    assert chart.empty and str(chart) == '<p class="gx-chart-empty">暂无数据</p>'
    assert "还没有人领取。" in str(line_chart([], [], title="t", empty_text="还没有人领取。"))


def test_labels_and_titles_are_escaped():
    svg = str(bar_chart(['<script>alert("x")</script>'], [1], title="<b>标题</b>", unit="&")) + str(
        line_chart(["a"], {"<i>": [1]}, title="t")
    )
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;标题&lt;/b&gt;" in svg


def test_a_line_chart_has_a_point_per_value_and_a_legend_per_series():
    svg = str(
        line_chart(
            ["1日", "2日", "3日"], {"领取": [5, 2, 0], "核销": [1, 1, 3]}, title="领取与核销"
        )
    )
    assert svg.count("<polyline") == 2
    assert _values(svg, "circle") == [
        ("1日", 5),
        ("2日", 2),
        ("3日", 0),
        ("1日", 1),
        ("2日", 1),
        ("3日", 3),
    ]
    assert ">领取</text>" in svg and ">核销</text>" in svg
    assert "<title>3日 · 核销：3</title>" in svg


def test_grouped_bars_for_several_series():
    svg = str(bar_chart(["甲", "乙"], {"扫码": [3, 1], "登记": [2, 0]}, title="t"))
    assert re.findall(r'data-series="([^"]+)"', svg) == ["扫码", "扫码", "登记", "登记"]


def test_nice_steps():
    assert [nice_step(n) for n in (0, 9, 41, 6045)] == [1, 5, 20, 2000]


def test_quiet_days_hours_and_months_show_as_zero():
    day = timezone.make_aware(dt.datetime(2024, 7, 1))
    labels, values = time_points([(day, 5), (day + dt.timedelta(days=3), 2)], hourly=False)
    assert list(zip(labels, values, strict=True)) == [
        ("07-01", 5),
        ("07-02", 0),
        ("07-03", 0),
        ("07-04", 2),
    ]
    labels, values = time_points([(day, 1), (day + dt.timedelta(hours=2), 4)], hourly=True)
    assert values == [1, 0, 4] and labels[0] == "07-01 00:00"
    assert month_points([("2024-11", 3), ("2025-02", 1)]) == (
        ["2024-11", "2024-12", "2025-01", "2025-02"],
        [3, 0, 0, 1],
    )
    assert time_points([], hourly=True) == ([], []) and month_points([]) == ([], [])
