"""Server-rendered bar charts as standalone SVG documents, served as image/svg+xml and shown with <img>.

Only presentation attributes (fill, font-size...) are used, never `style`, so the strict
Content-Security-Policy holds; the numbers are also in a table beside each chart for people who cannot see
it."""

from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import formats

WIDTH = 640
HEIGHT = 240
LEFT = 56
RIGHT = 12
TOP = 28
BOTTOM = 40
BAR_COLOUR = "#1f6f8b"
AXIS_COLOUR = "#555555"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return formats.number_format(round(value, 1), 1)
    if isinstance(value, Decimal):
        return formats.number_format(value, 2 if value != value.to_integral() else 0)
    return formats.number_format(int(value))


def bar_chart_svg(
    *,
    title: str,
    days: list[date] | None = None,
    values: list,
    value_label=None,
    labels: list[str] | None = None,
) -> str:
    """A bar per day (or per category, when `labels` names the bars instead of `days`); `values` None are
    gaps. `value_label(value)` formats the axis (numbers by default)."""
    value_label = value_label or _number
    if labels is None:
        labels = [formats.date_format(day, "j M") for day in days]
        tips = [formats.date_format(day, "SHORT_DATE_FORMAT") for day in days]
    else:
        tips = labels
    days = labels
    numbers = [float(value) for value in values if value is not None]
    top = _nice_max(max(numbers, default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(days), 1)
    bar = max(slot * 0.7, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="18" font-family="sans-serif" font-size="14" fill="#222222">'
        f"{escape(title)}</text>",
    ]
    for step in range(5):
        level = top * step / 4
        y = TOP + plot_height - plot_height * step / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#dddddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-family="sans-serif" font-size="11" '
            f'fill="{AXIS_COLOUR}">{escape(value_label(level))}</text>'
        )
    label_every = max(1, len(days) // 10)
    for index, (day, tip, value) in enumerate(zip(days, tips, values, strict=True)):
        x = LEFT + slot * index + (slot - bar) / 2
        if value is not None and float(value) > 0:
            height = plot_height * float(value) / top
            day_label = escape(str(tip))
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_height - height:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="{BAR_COLOUR}"><title>{day_label}: '
                f"{escape(value_label(value))}</title></rect>"
            )
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'font-family="sans-serif" font-size="11" fill="{AXIS_COLOUR}">'
                f"{escape(str(day))}</text>"
            )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_height}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
