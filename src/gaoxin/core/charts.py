"""Server-side SVG charts: bars and lines from labels and series, no JavaScript.

Government intranets are offline and old browsers abound: no chart library,
just an inline `<svg>` the page includes as `{{ chart }}`. Colours and fonts are
SVG attributes, so a chart looks the same on every page and needs no
stylesheet. Each chart is an image for screen readers (`role="img"`) named by
its `<title>` and described by its `<desc>` (range, count and total, figures
through `core.numbers`); every bar or point carries its own `<title>` tooltip
and `data-label` / `data-value` attributes. Labels are escaped.

    chart = bar_chart(labels, values, title=_("每月服务人次"), unit=_("人次"))
    chart = line_chart(labels, {_("领取"): a, _("核销"): b}, title=_("领取与核销"))
"""

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gaoxin.core.numbers import cn_exact

Series = Sequence[int] | Mapping[str, Sequence[int]]

COLOURS = ("#c0392b", "#2471a3", "#229954", "#d68910", "#7d3c98")
GRID, AXIS, TEXT, QUIET = "#dddddd", "#888888", "#444444", "#666666"
LEFT, RIGHT, TOP, BOTTOM, LEGEND = 56, 10, 16, 40, 20


@dataclass(frozen=True)
class Chart:
    """A rendered chart: `{{ chart }}` in a template puts the SVG (or the empty message) there."""

    html: SafeString
    empty: bool
    total: int

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _named(series: Series) -> list[tuple[str, list[int]]]:
    if isinstance(series, Mapping):
        return [(str(name), list(values)) for name, values in series.items()]
    return [("", list(series))]


def nice_step(n: int, lines: int = 4) -> int:
    """A 1/2/5 × 10^k step so about `lines` grid lines cover n on round numbers."""
    rough = max(1, -(-int(n) // lines))
    magnitude = 10 ** (len(str(rough)) - 1)
    for step in (1, 2, 5, 10):
        if step * magnitude >= rough:
            return step * magnitude
    return 10 * magnitude


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


class _Frame:
    """The plot area, the value scale and the parts every chart shares."""

    def __init__(
        self,
        labels,
        named,
        *,
        title: str,
        desc: str = "",
        unit: str = "",
        width: int = 720,
        height: int = 240,
        max_labels: int = 12,
        html_id: str | None = None,
    ):
        self.labels = [str(label) for label in labels]
        self.named, self.unit, self.width, self.height = named, unit, width, height
        self.top = TOP + (LEGEND if len(named) > 1 else 0)
        self.plot_w = width - LEFT - RIGHT
        self.plot_h = height - self.top - BOTTOM
        self.base = self.top + self.plot_h
        highest = max((v for _name, values in named for v in values), default=0)
        self.step = nice_step(highest)
        self.peak = max(self.step * -(-highest // self.step), self.step)
        self.slot = self.plot_w / max(len(self.labels), 1)
        self.every = max(1, -(-len(self.labels) // max_labels))
        self.total = sum(v for _name, values in named for v in values)
        key = "|".join([str(title), *self.labels]).encode()
        self.id = html_id or "chart-" + hashlib.blake2s(key, digest_size=4).hexdigest()
        self.title, self.desc = str(title), str(desc or self._describe())

    def _describe(self) -> str:
        return _("%(first)s 至 %(last)s，共 %(n)d 项，合计 %(total)s。") % {
            "first": self.labels[0],
            "last": self.labels[-1],
            "n": len(self.labels),
            "total": cn_exact(self.total, str(self.unit)),
        }

    def y(self, value: float) -> float:
        return self.base - self.plot_h * value / self.peak

    def centre(self, i: int) -> float:
        return LEFT + i * self.slot + self.slot / 2

    def tip(self, i: int, name: str, value: int) -> str:
        label = f"{self.labels[i]} · {name}" if name else self.labels[i]
        return f"<title>{escape(label)}：{escape(cn_exact(value, str(self.unit)))}</title>"

    def data(self, i: int, name: str, value: int) -> str:
        series = f' data-series="{escape(name)}"' if name else ""
        return f' data-label="{escape(self.labels[i])}" data-value="{value}"{series}'

    def open(self, kind: str) -> list[str]:
        w, h, i = self.width, self.height, escape(self.id)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="gx-chart gx-chart-{kind}" id="{i}" '
            f'viewBox="0 0 {w} {h}" width="100%" style="max-width:{w}px;display:block" role="img" '
            f'aria-labelledby="{i}-title {i}-desc" font-size="11" font-family="sans-serif">',
            f'<title id="{i}-title">{escape(self.title)}</title>',
            f'<desc id="{i}-desc">{escape(self.desc)}</desc>',
        ]
        for k in range(0, self.peak + 1, self.step):
            y = _f(self.y(k))
            parts.append(
                f'<line x1="{LEFT}" x2="{w - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}"/>'
                f'<text x="{LEFT - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" '
                f'fill="{QUIET}">{escape(cn_exact(k))}</text>'
            )
        for i, label in enumerate(self.labels):
            if i % self.every == 0:
                parts.append(
                    f'<text x="{_f(self.centre(i))}" y="{self.base + 18}" text-anchor="middle" '
                    f'fill="{TEXT}">{escape(label)}</text>'
                )
        if len(self.named) > 1:
            x = LEFT
            for s, (name, _values) in enumerate(self.named):
                colour = COLOURS[s % len(COLOURS)]
                parts.append(
                    f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>'
                    f'<text x="{x + 14}" y="13" fill="{TEXT}">{escape(name)}</text>'
                )
                x += 28 + 12 * len(name)
        return parts

    def close(self, parts: list[str]) -> Chart:
        parts.append(
            f'<line x1="{LEFT}" x2="{self.width - RIGHT}" y1="{self.base}" y2="{self.base}" '
            f'stroke="{AXIS}"/></svg>'
        )
        return Chart(html=mark_safe("".join(parts)), empty=False, total=self.total)  # noqa: S308 (all escaped)


def _empty(empty_text: str | None) -> Chart:
    text = escape(empty_text or _("暂无数据"))
    return Chart(html=mark_safe(f'<p class="gx-chart-empty">{text}</p>'), empty=True, total=0)  # noqa: S308


def _draw(kind: str, marks, labels: Sequence[str], series: Series, empty_text, options) -> Chart:
    if not labels:
        return _empty(empty_text)
    frame = _Frame(labels, _named(series), **options)
    parts = frame.open(kind)
    for s, (name, values) in enumerate(frame.named):
        marks(frame, parts, COLOURS[s % len(COLOURS)], s, name, values[: len(frame.labels)])
    return frame.close(parts)


def _bars(frame: "_Frame", parts: list[str], colour: str, s: int, name: str, values) -> None:
    group = min(frame.slot * 0.8, 48 * len(frame.named))
    bar_w = group / len(frame.named)
    for i, value in enumerate(values):
        x = frame.centre(i) - group / 2 + s * bar_w
        y = frame.y(value)
        parts.append(
            f'<rect class="bar" x="{_f(x)}" y="{_f(y)}" width="{_f(max(bar_w, 1))}" '
            f'height="{_f(frame.base - y)}" fill="{colour}"{frame.data(i, name, value)}>'
            f"{frame.tip(i, name, value)}</rect>"
        )


def _line(frame: "_Frame", parts: list[str], colour: str, s: int, name: str, values) -> None:
    points = [(frame.centre(i), frame.y(v)) for i, v in enumerate(values)]
    path = " ".join(f"{_f(x)},{_f(y)}" for x, y in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for i, ((x, y), value) in enumerate(zip(points, values, strict=False)):
        parts.append(
            f'<circle class="point" cx="{_f(x)}" cy="{_f(y)}" r="3" fill="{colour}"'
            f"{frame.data(i, name, value)}>{frame.tip(i, name, value)}</circle>"
        )


def bar_chart(
    labels: Sequence[str], series: Series, *, title: str, empty_text: str | None = None, **options
) -> Chart:
    """Bars of one series (a list of values) or grouped bars of several (name → values).

    No labels draws nothing but `empty_text` (暂无数据); values are whole
    numbers (counts; money goes through `yuan` first), shown on the axis and
    in tooltips through `cn_exact`. Options: `desc` (else range, count and
    total), `unit` (人次), `width`, `height`, `max_labels` (x labels shown at
    most), `html_id` (for two charts on one page).
    """
    return _draw("bar", _bars, labels, series, empty_text, {"title": title, **options})


def line_chart(
    labels: Sequence[str], series: Series, *, title: str, empty_text: str | None = None, **options
) -> Chart:
    """Lines of one series or several (name → values), a dot with a tooltip at each
    point; the options of `bar_chart`."""
    return _draw("line", _line, labels, series, empty_text, {"title": title, **options})


# ------------------------------------------------------------------ filling the gaps


def time_points(
    series: Sequence[tuple[dt.datetime, int]], *, hourly: bool
) -> tuple[list[str], list[int]]:
    """(labels, values) of a per-hour or per-day series with quiet hours or days as zero."""
    if not series:
        return [], []
    step = dt.timedelta(hours=1) if hourly else dt.timedelta(days=1)
    counts = {timezone.localtime(t) if timezone.is_aware(t) else t: n for t, n in series}
    start, end = min(counts), max(counts)
    labels, values, t = [], [], start
    while t <= end and len(labels) < 24 * 62:
        labels.append(t.strftime("%m-%d %H:00" if hourly else "%m-%d"))
        values.append(counts.get(t, 0))
        t = timezone.localtime(t + step) if timezone.is_aware(t) else t + step
    return labels, values


def month_points(pairs: Sequence[tuple[str, int]]) -> tuple[list[str], list[int]]:
    """(labels, values) of a `("2025-03", n)` series, in order, with months without data as zero."""
    if not pairs:
        return [], []
    values = dict(pairs)
    first, last = min(values), max(values)
    y, m = map(int, first.split("-"))
    ly, lm = map(int, last.split("-"))
    labels = []
    while (y, m) <= (ly, lm):
        labels.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return labels, [values.get(label, 0) for label in labels]
