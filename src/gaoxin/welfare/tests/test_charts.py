import datetime as dt

from django.utils import timezone

from gaoxin.welfare.charts import bar_chart, time_points


def test_bars_sit_on_round_grid_lines_and_never_overflow():
    chart = bar_chart([("a", 9), ("b", 0), ("c", 3)])
    assert [v for _, v in chart.ticks] == [0, 5, 10]
    assert all(chart.plot_top <= bar.y <= chart.plot_bottom for bar in chart.bars)
    tallest = max(chart.bars, key=lambda b: b.value)
    assert tallest.y > chart.plot_top  # 9 of 10: below the top line
    assert chart.total == 12 and not chart.empty


def test_an_empty_series_draws_nothing():
    assert bar_chart([]).empty


def test_quiet_days_show_as_zero():
    day = timezone.make_aware(dt.datetime(2024, 7, 1))
    series = [(day, 5), (day + dt.timedelta(days=3), 2)]
    assert time_points(series, hourly=False) == [
        ("07-01", 5),
        ("07-02", 0),
        ("07-03", 0),
        ("07-04", 2),
    ]
    hours = time_points([(day, 1), (day + dt.timedelta(hours=2), 4)], hourly=True)
    assert [v for _, v in hours] == [1, 0, 4] and hours[0][0] == "07-01 00:00"
