"""Grouped horizontal bar charts as PNG, drawn with Pillow (already installed), no plot library."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Colour-blind-safe series colours (Okabe and Ito).
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
WIDTH = 1000
BAR = 14
GAP = 10
LABEL_WIDTH = 300
MARGIN = 20


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow ships a scalable default font; older builds fall back to the bitmap one.
    try:
        return ImageFont.load_default(size=size)
    except TypeError:
        return ImageFont.load_default()


def bar_chart(
    path: Path,
    *,
    title: str,
    groups: list[str],
    series: dict[str, list[float | None]],
    unit: str,
) -> Path:
    """Draw one bar per series for every group (None leaves a gap) and save the PNG at path."""
    font, small, big = _font(14), _font(12), _font(18)
    top = MARGIN + 30 + 22 * ((len(series) + 2) // 3)
    group_height = len(series) * BAR + GAP * 2
    height = top + group_height * len(groups) + MARGIN + 20
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, MARGIN), title, fill="black", font=big)
    for i, name in enumerate(series):
        x = MARGIN + (i % 3) * 320
        y = MARGIN + 30 + 22 * (i // 3)
        draw.rectangle((x, y + 2, x + 14, y + 14), fill=COLOURS[i % len(COLOURS)])
        draw.text((x + 20, y), name, fill="black", font=font)
    values = [v for column in series.values() for v in column if v is not None]
    peak = max(values, default=1.0) or 1.0
    plot_left, plot_right = LABEL_WIDTH, WIDTH - MARGIN - 70
    scale = (plot_right - plot_left) / peak
    for g, group in enumerate(groups):
        y0 = top + g * group_height
        if g % 2:
            draw.rectangle((MARGIN, y0, WIDTH - MARGIN, y0 + group_height), fill="#f3f3f3")
        draw.text((MARGIN + 4, y0 + group_height / 2 - 8), group, fill="black", font=font)
        for s, column in enumerate(series.values()):
            value = column[g] if g < len(column) else None
            if value is None:
                continue
            y = y0 + GAP + s * BAR
            draw.rectangle(
                (plot_left, y, plot_left + max(1, value * scale), y + BAR - 2),
                fill=COLOURS[s % len(COLOURS)],
            )
            draw.text(
                (plot_left + value * scale + 4, y - 1),
                f"{value:,.3g} {unit}",
                fill="black",
                font=small,
            )
    draw.line((plot_left, top, plot_left, height - MARGIN - 20), fill="#888888")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG", optimize=True)
    return path
