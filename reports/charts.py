"""Charts as static SVG drawn on the server: the same code serves the PDF and the pages.

No JavaScript and no foreignObject (WeasyPrint draws neither); text is escaped; numbers
are written the Vietnamese way.
"""

from html import escape

from core.formatting import number

FONT = "GX Serif, Liberation Serif, Times New Roman, serif"
BAR = "#1f4e79"
MUTED = "#6b7280"


def _millions(value) -> str:
    return number((value or 0) / 1_000_000, 0)


def _wrap(text: str, size: int) -> list[str]:
    """The words of `text` in lines of at most `size` characters (a longer word stands
    alone): full names wrap, never cut."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= size:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_chart(
    rows: list[tuple[str, int]], *, title: str, width: int = 640, label_width: int = 230
) -> str:
    """Horizontal bars, largest first: value in triệu đồng at the end of each bar."""
    rows = rows[:12]
    line_height, top = 14, 34
    labels = [_wrap(label, 36) for label, _ in rows]
    heights = [max(26, line_height * len(lines) + 12) for lines in labels]
    height = top + sum(heights or [26]) + 10
    largest = max((v for _, v in rows), default=0) or 1
    span = width - label_width - 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12" role="img" '
        f'aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    if not rows:
        parts.append(f'<text x="0" y="{top + 14}" fill="{MUTED}">Chưa có số liệu.</text>')
    y = top
    for (_, value), lines, row_height in zip(rows, labels, heights, strict=True):
        bar = max(1, round(span * value / largest)) if value else 0
        first = y + (row_height - line_height * len(lines)) / 2 + 11
        tspans = "".join(
            f'<tspan x="{label_width - 8}" y="{first + i * line_height:.0f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        middle = y + row_height / 2
        parts.append(
            f'<text text-anchor="end">{tspans}</text>'
            f'<rect x="{label_width}" y="{middle - 9:.0f}" width="{bar}" height="18" '
            f'fill="{BAR}"/>'
            f'<text x="{label_width + bar + 6}" y="{middle + 4:.0f}">{_millions(value)}</text>'
        )
        y += row_height
    parts.append(
        f'<text x="{width}" y="16" text-anchor="end" fill="{MUTED}" font-size="11">'
        "đơn vị: triệu đồng</text></svg>"
    )
    return "".join(parts)


def column_chart(
    rows: list[tuple[str, int]], *, title: str, width: int = 640, height: int = 240
) -> str:
    """Vertical columns over time (quarters), with a line joining their tops."""
    rows = rows[-16:]
    left, bottom, top = 10, 40, 40
    plot_height = height - top - bottom
    largest = max((v for _, v in rows), default=0) or 1
    step = (width - left * 2) / max(len(rows), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11" role="img" '
        f'aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<text x="{width}" y="16" text-anchor="end" fill="{MUTED}">đơn vị: triệu đồng</text>',
    ]
    if not rows:
        parts.append(f'<text x="0" y="{top + 14}" fill="{MUTED}">Chưa có số liệu.</text>')
    points = []
    for index, (label, value) in enumerate(rows):
        bar_height = round(plot_height * (value or 0) / largest)
        x = left + index * step
        y = top + plot_height - bar_height
        points.append(f"{x + step / 2:.1f},{y}")
        parts.append(
            f'<rect x="{x + step * 0.2:.1f}" y="{y}" width="{step * 0.6:.1f}" '
            f'height="{bar_height}" fill="{BAR}" fill-opacity="0.75"/>'
            f'<text x="{x + step / 2:.1f}" y="{y - 4}" text-anchor="middle">'
            f"{_millions(value)}</text>"
            + _column_label(label, index, x + step / 2, height - bottom + 16, narrow=step < 70)
        )
    if len(points) > 1:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#c0392b" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _column_label(label: str, index: int, x: float, y: float, *, narrow: bool) -> str:
    """A column's label. Narrow columns: "Quý 3/2025" becomes "Q3" with the year beneath it
    at the first column and each first quarter, so a phase of twenty quarters stays legible."""
    quarter, _, year = label.removeprefix("Quý ").partition("/")
    if not narrow or not year:
        return f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{escape(label)}</text>'
    text = f'<text x="{x:.1f}" y="{y}" text-anchor="middle">Q{escape(quarter)}</text>'
    if index == 0 or quarter == "1":
        text += f'<text x="{x:.1f}" y="{y + 13}" text-anchor="middle">{escape(year)}</text>'
    return text


def commune_map(
    backdrop: list[tuple[float, float]],
    points: list[dict],
    *,
    title: str,
    width: int = 640,
    height: int = 520,
) -> str:
    """Communes as points at their coordinates: the province's communes faint behind, the
    assigned ones sized by value and coloured green (days on site met) or red (not met);
    each point links to its commune page. Plain SVG: no tiles, no JavaScript."""
    coords = [(lon, lat) for lon, lat in backdrop] + [(p["lon"], p["lat"]) for p in points]
    if not coords:
        return charts_empty(title, width)
    lons, lats = [c[0] for c in coords], [c[1] for c in coords]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    pad, top = 24, 30
    # one scale for both axes, the largest that fits each: a long country fills a tall box
    scale = min(
        (width - 2 * pad) / ((east - west) or 1.0),
        (height - top - 2 * pad) / ((north - south) or 1.0),
    )

    def xy(lon, lat):
        return pad + (lon - west) * scale, top + pad + (north - lat) * scale

    largest = max((p["value"] for p in points), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11" role="img" '
        f'aria-label="{escape(title)}">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<text x="{width}" y="16" text-anchor="end" fill="{MUTED}">xanh: đủ ngày về xã; '
        "đỏ: chưa đủ; cỡ: giá trị</text>",
    ]
    for lon, lat in backdrop:
        x, y = xy(lon, lat)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#cbd5e1"/>')
    for point in sorted(points, key=lambda p: -p["value"]):
        x, y = xy(point["lon"], point["lat"])
        radius = 4 + 14 * (point["value"] / largest) ** 0.5
        colour = "#c0392b" if point["below"] else "#2e7d32"
        name = escape(point["name"])
        value = _millions(point["value"])
        parts.append(
            f'<a href="{escape(point["url"])}"><title>{name}: {value} triệu đồng</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}" '
            'fill-opacity="0.7" stroke="#fff" stroke-width="1"/></a>'
        )
    parts.append("</svg>")
    return "".join(parts)


def charts_empty(title: str, width: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60" '
        f'font-family="{FONT}"><text x="0" y="16" font-size="14" font-weight="bold">'
        f'{escape(title)}</text><text x="0" y="40" fill="{MUTED}">Chưa có số liệu.</text></svg>'
    )
