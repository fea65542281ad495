"""The HTML report opened in a real headless browser (Debian's chromium, installed by .ci/run).

The page must render every chart (plotly's SVG containers in the DOM after the scripts ran),
log nothing to the console (no errors, no warnings) and give a screenshot that is not blank.
Chromium sees no CJK font but the page's embedded subset (a private fontconfig whose only font
is matplotlib's Latin DejaVu Sans, as on a computer without Chinese fonts), and every CJK
character of the rendered page - its text, plotly's SVG text of titles, axes, legends and
buttons, the mode bar's tips - must be in that subset, or it would show as a gap.
Without chromium the test is skipped on a developer machine and fails in CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import plotly.io as pio
import pytest
from matplotlib import get_data_path
from PIL import Image

from gridopt.io import write_netcdf
from gridopt.report import make_report
from gridopt.report.fonts import _wide
from tests.test_prices import synthetic_results
from tests.test_report import CHART_IDS, _tenant_json, embedded_cmap

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail(
        "chromium is not installed: .ci/run installs Debian's chromium for this test", pytrace=False
    )
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
)


def _latin_only_fontconfig(tmp: Path) -> dict[str, str]:
    """Environment with a fontconfig file whose only font is DejaVu Sans (no system fonts, so
    no CJK font): Chinese can only come from the page's embedded subset."""
    fonts = tmp / "fonts"
    fonts.mkdir()
    shutil.copy(Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf", fonts)
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{fonts}</dir><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>"
    )
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(conf)
    env.pop("FONTCONFIG_PATH", None)
    return env


def _chromium(page: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        "--hide-scrollbars",
        "--virtual-time-budget=10000",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, env=_latin_only_fontconfig(tmp)
    )


class _DrawnText(HTMLParser):
    """Text a browser draws with the page's fonts: text nodes outside <script> and <style>
    (HTML and SVG alike) and the mode bar's ``data-title`` tips (drawn by CSS ``attr()``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k == "data-title" and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def drawn_cjk(dom: str) -> set[str]:
    p = _DrawnText()
    p.feed(dom)
    return {c for part in p.parts for c in part if _wide(c)}


def test_html_renders_in_chromium_with_only_the_embedded_cjk_font(tmp_path, monkeypatch):
    """The Chinese page (the default; it also registers plotly's zh-CN locale) with a tenant
    section, its charts written by json.dumps (\\uXXXX escapes, as without orjson). The English
    page runs the same scripts; its structure is checked in test_report."""
    monkeypatch.setattr(pio.json.config, "default_engine", "json")
    lang = "zh"
    results = tmp_path / "results"
    write_netcdf(results / "results.nc", synthetic_results())
    (results / "tenant.json").write_text(json.dumps(_tenant_json("0" * 64, 48)), encoding="utf-8")
    make_report(results, lang=lang, formats="html")
    page = results / "report.html"

    shot = tmp_path / f"screenshot_{lang}.png"
    res = _chromium(page, tmp_path, "--window-size=1400,2400", f"--screenshot={shot}", "--dump-dom")
    console = [ln for ln in res.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    assert not console, "console messages:\n" + "\n".join(console)
    html = res.stdout
    for div in [*CHART_IDS, "fig-tenant-flex"]:  # each chart div holds plotly's rendered SVG
        m = re.search(rf'<div id="{div}"[^>]*class="[^"]*js-plotly-plot[^"]*"', html)
        assert m, f"{div} was not rendered"
    assert html.count('class="main-svg"') >= 2 * (len(CHART_IDS) + 1)

    # every CJK character chromium drew is in the embedded subset (no other CJK font here)
    cmap = embedded_cmap(page.read_text(encoding="utf-8"))
    drawn = drawn_cjk(html)
    svg = drawn_cjk("".join(re.findall(r"<svg.*?</svg>", html, flags=re.S)))
    assert len(drawn) > 100 and set("电价持续曲线") <= svg, "plotly's SVG text was not read"
    missing = sorted(c for c in drawn if ord(c) not in cmap)
    assert not missing, f"{len(missing)} characters drawn without a glyph: {''.join(missing)}"

    assert shot.exists(), res.stderr[-2000:]
    with Image.open(shot) as im:
        assert im.size == (1400, 2400)
        a = np.asarray(im.convert("L"))
    assert (a < 200).mean() > 0.02, "screenshot is nearly blank"
    assert len(np.unique(a)) > 50
