"""Share images: a 1200×630 PNG with a title and the events drawn over time."""

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
PAPER = (251, 250, 247)
INK = (28, 36, 48)
MUTED = (95, 107, 122)
ACCENT = (31, 95, 168)
MARK = (164, 38, 44)
LINE = (227, 224, 216)
MARGIN = 64
CHART_TOP, CHART_BOTTOM = 400, 560


def _font(size):
    return ImageFont.load_default(size=size)


def share_png(title, subtitle, density, marked=None):
    """PNG bytes: ``title`` (wrapped to three lines), ``subtitle``, and one bar per slot
    of ``density`` (a ``crisis.reading.selectors.Density`` or None); the bar holding the date
    ``marked`` is drawn in red."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 12], fill=ACCENT)
    draw.text((MARGIN, 44), "CRISIS TIMELINE", font=_font(26), fill=ACCENT)
    lines = textwrap.wrap(title, width=38)[:3] or [""]
    for number, line in enumerate(lines):
        draw.text((MARGIN, 92 + number * 66), line, font=_font(56), fill=INK)
    draw.text((MARGIN, 92 + len(lines) * 66 + 12), subtitle, font=_font(28), fill=MUTED)
    _draw_bars(draw, density, marked)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _draw_bars(draw, density, marked):
    draw.line([MARGIN, CHART_BOTTOM, WIDTH - MARGIN, CHART_BOTTOM], fill=LINE, width=2)
    if density is None or not density.slots:
        return
    slots = density.slots
    peak = max((bar.count for bar in slots if bar), default=0) or 1
    # Few slots get narrow bars, centred, rather than a block as wide as the image.
    step = min((WIDTH - 2 * MARGIN) / len(slots), 48)
    start = (WIDTH - step * len(slots)) / 2
    for index, bar in enumerate(slots):
        if bar is None or not bar.count:
            continue
        height = max(4, round((CHART_BOTTOM - CHART_TOP) * bar.count / peak))
        left = start + index * step
        hit = marked is not None and bar.start <= marked <= bar.end
        draw.rectangle(
            [left + 1, CHART_BOTTOM - height, left + max(step - 2, 1), CHART_BOTTOM],
            fill=MARK if hit else ACCENT,
        )
    # The bundled font has no en dash.
    label = f"{density.start.day} {density.start:%b %Y}"
    if density.end != density.start:
        label += f" to {density.end.day} {density.end:%b %Y}"
    draw.text((MARGIN, CHART_BOTTOM + 14), label, font=_font(24), fill=MUTED)
