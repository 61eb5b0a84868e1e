"""Server-side bar charts as plain numbers for an inline SVG template.

Government intranets are offline and old browsers abound: no chart library,
no JavaScript, just rectangles the template draws.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    show_label: bool


@dataclass
class BarChart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar]
    ticks: list[tuple[float, int]]  # (y, value) of horizontal grid lines
    total: int

    @property
    def empty(self) -> bool:
        return not self.bars


def _nice_step(n: int, lines: int = 4) -> int:
    """A 1/2/5 × 10^k step so about `lines` grid lines cover n on round numbers."""
    rough = max(1, -(-n // lines))
    magnitude = 10 ** (len(str(rough)) - 1)
    for step in (1, 2, 5, 10):
        if step * magnitude >= rough:
            return step * magnitude
    return 10 * magnitude


def bar_chart(points: list[tuple[str, int]], *, width: int = 720, height: int = 220,
              max_labels: int = 12) -> BarChart:  # fmt: skip
    """Bars for (label, value) points, left to right."""
    left, right, top, bottom = 44, 8, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max((v for _, v in points), default=0)
    step = _nice_step(highest)
    top_value = max(step * -(-highest // step), step)
    slot = plot_w / max(len(points), 1)
    bar_w = min(max(slot * 0.8, 1), 48)
    every = max(1, -(-len(points) // max_labels))
    bars = []
    for i, (label, value) in enumerate(points):
        h = plot_h * value / top_value
        bars.append(Bar(x=left + i * slot + (slot - bar_w) / 2, y=top + plot_h - h, width=bar_w,
                        height=h, value=value, label=label, show_label=i % every == 0))  # fmt: skip
    ticks = [(top + plot_h - plot_h * v / top_value, v) for v in range(0, top_value + 1, step)]
    return BarChart(width=width, height=height, plot_top=top, plot_bottom=top + plot_h, bars=bars,
                    ticks=ticks, total=sum(v for _, v in points))  # fmt: skip


def time_points(series: list[tuple[dt.datetime, int]], *, hourly: bool) -> list[tuple[str, int]]:
    """Fill the gaps of a claims-over-time series so quiet hours or days show as zero."""
    if not series:
        return []
    step = dt.timedelta(hours=1) if hourly else dt.timedelta(days=1)
    counts = {timezone.localtime(t) if timezone.is_aware(t) else t: n for t, n in series}
    start, end = min(counts), max(counts)
    points, t = [], start
    while t <= end and len(points) < 24 * 62:
        points.append((t.strftime("%m-%d %H:00" if hourly else "%m-%d"), counts.get(t, 0)))
        t = timezone.localtime(t + step) if timezone.is_aware(t) else t + step
    return points
