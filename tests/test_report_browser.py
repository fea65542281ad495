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


LONG_NAMES = {
    "thermal": "jisco_coal_captive_unit_1_commissioned_2006",
    "renewable": "hexi_corridor_wind_cluster_north_phase_two",
}
"""Asset names longer than any column or axis would give them by default (the issue saw
"jisco_coal" twice and "hexi_corrido")."""

MEASURE_JS = """
<script>
window.addEventListener('load', () => setTimeout(() => {
  const out = {headline: {}, clipped_cells: [], clipped_ticks: [], ticks: 0, cells: 0};
  const card = document.getElementById('headline');
  for (const [k, v] of Object.entries(card ? card.dataset : {})) out.headline[k] = v;
  for (const cell of document.querySelectorAll('section td, section th, #headline *')) {
    out.cells += 1;
    if (cell.scrollWidth > cell.clientWidth + 1) out.clipped_cells.push(cell.textContent);
  }
  for (const t of document.querySelectorAll('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text, .js-plotly-plot .textpoint text')) {
    out.ticks += 1;
    const svg = t.closest('svg').getBoundingClientRect(), r = t.getBoundingClientRect();
    if (r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1 || r.bottom > svg.bottom + 1)
      out.clipped_ticks.push(t.textContent);
  }
  const pre = document.createElement('pre');
  pre.id = 'measure';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, 1500));
</script>
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headline_equals_summary_and_no_label_is_clipped(tmp_path, lang):
    """The headline card's figures, read back from its data attributes in chromium, equal
    summary.json's (the delivered price, the tariffs, the saving per year for 100 MW); and no
    table cell nor chart tick label is clipped with asset names of 40+ characters: each cell's
    scrollWidth fits its clientWidth (wide tables scroll in their own box) and each tick
    label of every plotly chart lies inside its SVG, at a window 1000 px wide where the
    revenue chart rotates its labels (without automargin they ran out of the chart)."""
    from gridopt import prices as P

    r = with_limits(
        synthetic_results().assign_coords(
            thermal=[LONG_NAMES["thermal"]], renewable=[LONG_NAMES["renewable"]]
        )
    )
    results = tmp_path / "results"
    write_netcdf(results / "results.nc", r)
    summary = {"hours": 48, "scenario_sha256": "0" * 64, **P.summary_fields(r)}
    (results / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    make_report(results, lang=lang, formats="html")
    page = tmp_path / "measured.html"
    text = (results / "report.html").read_text(encoding="utf-8")
    page.write_text(text.replace("</body>", MEASURE_JS + "</body>"), encoding="utf-8")

    res = _chromium(page, tmp_path, "--window-size=1000,2400", "--dump-dom")
    m = re.search(r'<pre id="measure">(.*?)</pre>', res.stdout, flags=re.S)
    assert m, res.stderr[-2000:]
    from html import unescape

    out = json.loads(unescape(m.group(1)))
    h = out["headline"]
    dp = summary["delivered_price"]
    assert float(h["deliveredCnyPerKwh"]) == pytest.approx(
        summary["delivered_price_cny_per_kwh"], rel=1e-12
    )
    assert float(h["benchmarkCnyPerKwh"]) == pytest.approx(dp["benchmark_cny_per_kwh"], rel=1e-12)
    assert float(h["provincialCnyPerKwh"]) == pytest.approx(
        dp["provincial_tariff_cny_per_kwh"], rel=1e-12
    )
    assert float(h["savingPerYearCny"]) == pytest.approx(dp["saving_per_year_cny"], rel=1e-12)
    assert float(h["vsBenchmarkCnyPerKwh"]) == pytest.approx(
        summary["delivered_price_cny_per_kwh"] - dp["benchmark_cny_per_kwh"], rel=1e-12
    )
    assert out["cells"] > 200 and out["ticks"] > 50
    assert not out["clipped_cells"], out["clipped_cells"]
    assert not out["clipped_ticks"], out["clipped_ticks"]
    for name in LONG_NAMES.values():  # drawn whole in a table and on the revenue chart's axis
        assert name in res.stdout
        assert re.search(rf"<text[^>]*>{name}</text>", res.stdout), name
    # the network section: the diagram names its buses, lines and the grid outside (inside
    # its SVG: the text points are measured above), the duration curve is drawn
    for div in ("fig-network", "fig-net-duration"):
        assert re.search(rf'<div id="{div}"[^>]*class="[^"]*js-plotly-plot', res.stdout), div
    diagram = res.stdout[res.stdout.index('id="fig-network"') :]
    diagram = diagram[: diagram.index("</svg>")]
    outside = "provincial grid" if lang == "en" else "省级电网"
    for label in ("a", "b", "ab", outside):
        assert re.search(rf"<text[^>]*>{label}</text>", diagram), label


def with_limits(r):
    """The synthetic results with limits on line ab (100 MW each way) and tie grid (import 30,
    export 60 MW), so the network section has loadings to draw."""
    import xarray as xr

    r = r.copy()
    for name, dim, value in (
        ("line_p_max_mw", "line", 100.0),
        ("line_p_max_reverse_mw", "line", 100.0),
        ("tie_import_max_mw", "tie", 30.0),
        ("tie_export_max_mw", "tie", 60.0),
    ):
        r[name] = xr.DataArray([value], dims=(dim,), attrs={"units": "MW"})
    return r


ZOOM_JS = """
<script>
window.addEventListener('load', () => setTimeout(() => {
  const gd = document.getElementById('fig-price-hourly'), vis = () => gd.data.map(t => String(t.visible));
  const out = {before: vis()};
  Plotly.relayout(gd, {'xaxis.range': ['2025-06-01 00:00', '2025-06-08 00:00']}).then(() => {
    out.zoomed = vis();
    return Plotly.relayout(gd, {'xaxis.autorange': true});
  }).then(() => {
    out.after = vis();
    const pre = document.createElement('pre');
    pre.id = 'zoom';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  });
}, 1000));
</script>
"""


def test_year_charts_zoom_to_hours_in_chromium(tmp_path):
    """A year of hours: the price chart shows bus a's daily band and mean; zoomed to a week the
    page's script shows a's hourly prices (not b's, whose band is hidden); zoomed out they hide
    again. Nothing is logged to the console, no tick or text label is cut, and the typical-day
    and storage charts render."""
    from tests.test_report_year import year_results

    results = tmp_path / "results"
    write_netcdf(results / "results.nc", year_results())
    make_report(results, lang="en", formats="html")
    page = tmp_path / "zoom.html"
    text = (results / "report.html").read_text(encoding="utf-8")
    page.write_text(text.replace("</body>", ZOOM_JS + MEASURE_JS + "</body>"), encoding="utf-8")
    res = _chromium(page, tmp_path, "--window-size=1000,2400", "--dump-dom")
    console = [ln for ln in res.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    assert not console, "console messages:\n" + "\n".join(console)
    from html import unescape

    m = re.search(r'<pre id="zoom">(.*?)</pre>', res.stdout, flags=re.S)
    assert m, res.stderr[-2000:]
    z = json.loads(unescape(m.group(1)))
    # traces: a low, band, mean, hourly; b low, band, mean, hourly
    assert z["before"][3] == "legendonly" and z["before"][2] == "true"
    assert z["zoomed"][3] == "true" and z["zoomed"][7] == "legendonly"
    assert z["after"][3] == "legendonly"
    for div in ("fig-price-hourly", "fig-price-seasons", "fig-storage"):
        assert re.search(rf'<div id="{div}"[^>]*class="[^"]*js-plotly-plot', res.stdout), div
    m = re.search(r'<pre id="measure">(.*?)</pre>', res.stdout, flags=re.S)
    out = json.loads(unescape(m.group(1)))
    assert not out["clipped_ticks"], out["clipped_ticks"]
    assert not out["clipped_cells"], out["clipped_cells"]
