"""Colours and labels shared by the interactive (plotly) and static (matplotlib) figures.

Colour distance (:func:`delta_e`): CIE76 ΔE*ab, the Euclidean distance of two colours in CIELAB
(sRGB, D65 white; L* 0 black .. 100 white). About 2.3 is just noticeable; two areas of a stacked
chart at :data:`MIN_DELTA_E` (15) or more are told apart at a glance.

Asset palette (:func:`asset_palette`, the dispatch stack): each asset starts from its
technology's colour (:data:`TECH_COLOURS`) in CIE LCh (L*, chroma C*, hue h). Its candidates are
L* = L0 + 5 j (j = -8..8, 12 <= L* <= 92) and h = h0 + 12 k degrees (k = -2..2; an achromatic
colour, C0 < 12, keeps k = 0), with C* = C0 lowered until the colour fits sRGB. It takes the
candidate of least cost (ΔE to the technology's colour + 8 |k|: lighter or darker steps before
hue shifts) that lies at least :data:`MIN_DELTA_E` from every colour taken before it (white page,
black load line, the earlier assets). So the first asset of a technology keeps the
technology's colour, the next ones are lighter or darker steps of it (hue within 24 degrees):
the technology stays recognisable and no two assets are closer than 15. When no candidate is
that far (some twenty assets of one technology), the one farthest from the others is taken.
"""

from __future__ import annotations

import math

TECH_COLOURS: dict[str, str] = {
    "coal": "#4d4d4d",
    "gas": "#8c8c8c",
    "wind": "#2f7fc1",
    "solar": "#f2b701",
    "hydro": "#1b9e77",
    "other": "#a6761d",
    "battery": "#8e44ad",
    "pumped_hydro": "#16a085",
    "storage_other": "#b07aa1",
    "import": "#e67e22",
    "export": "#d35400",
    "unserved": "#d62728",
    "excess": "#ff00ff",
    "flexible_load": "#2ca02c",
    "interruptible_load": "#7f7f7f",
    "mixed": "#c7c7c7",
    "line": "#17becf",
    "load": "#000000",
}
COMPONENT_COLOURS: dict[str, str] = {
    "energy": "#2f7fc1",
    "flexibility": "#8e44ad",
    "capacity": "#4d4d4d",
    "network": "#17becf",
    "levies": "#e67e22",
    "total": "#d62728",
}
BUS_COLOURS = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]


def colour(tech: str) -> str:
    """Colour of a technology or price-setter technology label."""
    return TECH_COLOURS.get(tech, "#999999")


def bus_colour(i: int) -> str:
    return BUS_COLOURS[i % len(BUS_COLOURS)]


ASSET_COLOURS = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#003f5c",
    "#e6550d",
    "#31a354",
    "#843c39",
    "#6b6ecf",
    "#b5cf6b",
    "#d6616b",
    "#3182bd",
    "#636363",
    "#ce6dbd",
]
"""A qualitative palette of 20 colours told apart on a white page (Tableau 10 and a second,
darker or shifted ten), for one series per asset."""


def asset_colour(i: int) -> str:
    """The colour of the i-th asset of a chart (its position in its dim, so the same asset
    keeps its colour from report to report): distinct for the first 20 assets."""
    return ASSET_COLOURS[i % len(ASSET_COLOURS)]


MIN_DELTA_E = 15.0
"""The least CIE76 distance between two assets' colours in the dispatch stack."""

_WHITE_D65 = (0.95047, 1.0, 1.08883)


def _lin(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def hex_to_lab(hex_colour: str) -> tuple[float, float, float]:
    """CIELAB (L*, a*, b*) of an sRGB colour '#rrggbb' (D65)."""
    r, g, b = (_lin(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    xyz = (
        0.4124 * r + 0.3576 * g + 0.1805 * b,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        0.0193 * r + 0.1192 * g + 0.9505 * b,
    )
    fx, fy, fz = (
        v ** (1 / 3) if v > (6 / 29) ** 3 else v / (3 * (6 / 29) ** 2) + 4 / 29
        for v in (c / w for c, w in zip(xyz, _WHITE_D65, strict=True))
    )
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _lab_to_rgb(lab: tuple[float, float, float]) -> tuple[float, float, float]:
    """Linear-light sRGB -> gamma-encoded channels in [0, 1] when in gamut (may lie outside)."""
    L, a, b = lab
    fy = (L + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200
    x, y, z = (
        w * (f**3 if f > 6 / 29 else 3 * (6 / 29) ** 2 * (f - 4 / 29))
        for f, w in zip((fx, fy, fz), _WHITE_D65, strict=True)
    )
    r = 3.2406 * x - 1.5372 * y - 0.4986 * z
    g = -0.9689 * x + 1.8758 * y + 0.0415 * z
    bb = 0.0557 * x - 0.2040 * y + 1.0570 * z
    return tuple(_gamma(v) if v > 0 else v for v in (r, g, bb))  # type: ignore[return-value]


def _rgb_hex(rgb) -> str:
    return "#" + "".join(f"{round(min(max(v, 0.0), 1.0) * 255):02x}" for v in rgb)


def delta_e(c1: str, c2: str) -> float:
    """CIE76 colour difference ΔE*ab of two '#rrggbb' colours."""
    return math.dist(hex_to_lab(c1), hex_to_lab(c2))


def _candidates(base: str) -> list[str]:
    """The colours an asset of technology colour ``base`` may take (module docstring), nearest
    to ``base`` first, where a hue step of 12 degrees counts as 8 more units of ΔE (lighter or
    darker steps are preferred to hue shifts: the technology stays recognisable)."""
    L0, a0, b0 = hex_to_lab(base)
    c0, h0 = math.hypot(a0, b0), math.atan2(b0, a0)
    hues = (0,) if c0 < 12 else (0, -1, 1, -2, 2)
    cost = {base: 0.0}
    for j in range(-8, 9):
        L = L0 + 5 * j
        if not 12 <= L <= 92:
            continue
        for k in hues:
            h = h0 + math.radians(12 * k)
            c = c0
            while True:
                rgb = _lab_to_rgb((L, c * math.cos(h), c * math.sin(h)))
                if all(-1e-9 <= v <= 1 + 1e-9 for v in rgb) or c < 1:
                    break
                c *= 0.9
            x = _rgb_hex(rgb)
            cost.setdefault(x, delta_e(x, base) + 8 * abs(k))
    return sorted(cost, key=lambda x: (cost[x], x))


def asset_palette(
    assets: list[tuple[str, str]], reserved: tuple[str, ...] = ("#ffffff", "#000000")
) -> dict[tuple[str, str], str]:
    """One colour per (technology, asset) pair, in the order given, each at least
    :data:`MIN_DELTA_E` from the ``reserved`` colours and the colours given before it (module
    docstring). A pair given twice keeps its first colour."""
    taken = list(reserved)
    out: dict[tuple[str, str], str] = {}
    for key in assets:
        if key in out:
            continue
        cands = _candidates(colour(key[0]))

        def gap(c: str) -> float:
            return min(delta_e(c, t) for t in taken)

        pick = next((c for c in cands if gap(c) >= MIN_DELTA_E), None)
        if pick is None:
            pick = max(cands, key=gap)
        out[key] = pick
        taken.append(pick)
    return out
