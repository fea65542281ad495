"""compare.html in a real headless browser (Debian's chromium), as tests/test_report_browser.py
does for the report: every chart rendered (plotly's SVG in each chart div), nothing logged to
the console, a screenshot that is not blank, and with no CJK font on the machine (a private
fontconfig with only DejaVu Sans) every CJK character drawn is in the page's embedded subset.
"""

from __future__ import annotations

import re

import numpy as np
import plotly.io as pio
from PIL import Image

from gridopt.compare import make_compare
from gridopt.compare.html import CHART_IDS
from tests.test_compare import cases  # noqa: F401 - the module's fixture of solved folders
from tests.test_report import embedded_cmap
from tests.test_report_browser import _chromium, drawn_cjk, pytestmark  # noqa: F401


def test_compare_page_renders_with_only_the_embedded_cjk_font(cases, tmp_path, monkeypatch):  # noqa: F811
    """The Chinese page of three folders (two horizons, so the per-year section and the
    horizon note are on it), its charts written by json.dumps (\\uXXXX escapes)."""
    monkeypatch.setattr(pio.json.config, "default_engine", "json")
    out = tmp_path / "cmp"
    make_compare([cases["cheap"], cases["dear"], cases["long"]], out, lang="zh")
    page = out / "compare.html"
    shot = tmp_path / "shot.png"
    res = _chromium(page, tmp_path, "--window-size=1400,2400", f"--screenshot={shot}", "--dump-dom")
    console = [ln for ln in res.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    assert not console, "console messages:\n" + "\n".join(console)
    html = res.stdout
    for div in CHART_IDS:
        assert re.search(rf'<div id="{div}"[^>]*class="[^"]*js-plotly-plot[^"]*"', html), div
    assert html.count('class="main-svg"') >= 2 * len(CHART_IDS)

    cmap = embedded_cmap(page.read_text(encoding="utf-8"))
    drawn = drawn_cjk(html)
    svg = drawn_cjk("".join(re.findall(r"<svg.*?</svg>", html, flags=re.S)))
    assert len(drawn) > 80 and set("电价持续曲线") <= svg, "plotly's SVG text was not read"
    missing = sorted(c for c in drawn if ord(c) not in cmap)
    assert not missing, f"{len(missing)} characters drawn without a glyph: {''.join(missing)}"

    with Image.open(shot) as im:
        a = np.asarray(im.convert("L"))
    assert (a < 200).mean() > 0.02 and len(np.unique(a)) > 50, "screenshot is nearly blank"
