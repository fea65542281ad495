"""Colours and labels shared by the interactive (plotly) and static (matplotlib) figures."""

from __future__ import annotations

import colorsys

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


def shade(hex_colour: str, k: int, n: int) -> str:
    """The k-th of n shades of a colour (lighter for higher k), so units of one technology
    are told apart in a stack."""
    if n <= 1:
        return hex_colour
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    h, light, s = colorsys.rgb_to_hls(*rgb)
    l2 = min(0.85, light + (0.85 - light) * k / n)
    r, g, b = colorsys.hls_to_rgb(h, l2, s)
    return "#" + "".join(f"{round(x * 255):02x}" for x in (r, g, b))


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
