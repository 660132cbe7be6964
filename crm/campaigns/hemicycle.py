"""Server-rendered SVG hemicycle: one seat per member, grouped by bancada, coloured by stance.

Seat geometry depends only on the number of seats, so it is computed once per size and cached;
rendering is then one string join over the members.
"""

from functools import lru_cache
from math import cos, floor, pi, sin

from markupsafe import Markup, escape

from crm.campaigns.labels import LEVEL_COLOURS as COLOURS

# The stance palette is defined once, with the stance labels.
WIDTH = 200.0
PAD = 7.0  # room for the outer seats' radius
HEIGHT = WIDTH / 2 + PAD
INNER = 0.4  # inner radius as a share of the outer one


@lru_cache(maxsize=64)
def layout(n: int) -> tuple[tuple[tuple[str, str], ...], str]:
    """Seat centres (as formatted strings) ordered from the left end to the right end, and the seat radius."""
    if n <= 0:
        return (), "0"
    rows = 1
    while True:
        spacing = (1 - INNER) / max(1, rows - 1) if rows > 1 else 0.5
        radii = [INNER + i * (1 - INNER) / (rows - 1) for i in range(rows)] if rows > 1 else [0.75]
        capacity = sum(max(1, floor(pi * r / spacing)) for r in radii)
        if capacity >= n:
            break
        rows += 1
    # Share the seats between rows in proportion to their length (largest remainder).
    total = sum(radii)
    exact = [n * r / total for r in radii]
    per_row = [floor(x) for x in exact]
    for i in sorted(range(rows), key=lambda i: exact[i] - per_row[i], reverse=True)[: n - sum(per_row)]:
        per_row[i] += 1
    seats = []
    for r, m in zip(radii, per_row, strict=True):
        for k in range(m):
            angle = pi * (1 - k / (m - 1)) if m > 1 else pi / 2
            seats.append((angle, r))
    # Left to right; inner rows first so a group fills a wedge.
    seats.sort(key=lambda s: (-round(s[0], 6), s[1]))
    scale = WIDTH / 2 - PAD
    dot = max(0.6, min(min(spacing, pi * INNER / max(1, per_row[0] or 1)) * scale * 0.42, PAD - 1))
    points = tuple(
        (f"{WIDTH / 2 + r * scale * cos(a):.2f}", f"{HEIGHT - PAD - r * scale * sin(a):.2f}") for a, r in seats
    )
    return points, f"{dot:.2f}"


def render(seats: list[tuple[str, Markup]], label: str) -> Markup:
    """`seats` is [(level, escaped title)] in seating order; returns an accessible inline SVG."""
    points, radius = layout(len(seats))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" role="img" '
        f'class="hemicycle w-100" aria-label="{escape(label)}"><title>{escape(label)}</title>'
    ]
    parts.extend(
        f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{COLOURS.get(level, COLOURS["unknown"])}" '
        f'data-level="{level}"><title>{title}</title></circle>'
        for (level, title), (x, y) in zip(seats, points, strict=True)
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated value is escaped or generated here


def seats_for(members, no_group: str, level_labels: dict) -> tuple[list[tuple[str, Markup]], Markup]:
    """The hemicycle's seats and the same data as table rows (seat, name, bancada, stance).

    Each name is escaped once and each bancada or stance label once per page, then reused in both.
    """
    groups: dict = {}
    stances = {level: escape(label) for level, label in level_labels.items()}
    seats, rows = [], []
    for i, m in enumerate(members, start=1):
        name = escape(m.name)
        key = m.group_id
        labels = groups.get(key)
        if labels is None:
            labels = groups[key] = (escape(m.group_name or no_group), escape(m.group_abbr or m.group_name or no_group))
        stance = stances[m.level]
        seats.append((m.level, Markup(f"{name} · {labels[1]} · {stance}")))  # noqa: S704 - parts escaped above
        rows.append(f"<tr><td>{i}</td><td>{name}</td><td>{labels[0]}</td><td>{stance}</td></tr>")
    return seats, Markup("".join(rows))  # noqa: S704 - parts escaped above
