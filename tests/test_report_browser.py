"""The HTML report opened in a real headless browser (Debian's chromium, installed by .ci/run).

The page must render every chart (plotly's SVG containers in the DOM after the scripts ran),
log nothing to the console (no errors, no warnings) and give a screenshot that is not blank.
Without chromium the test is skipped on a developer machine and fails in CI.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from gridopt.io import write_netcdf
from gridopt.report import make_report
from tests.test_prices import synthetic_results
from tests.test_report import CHART_IDS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail(
        "chromium is not installed: .ci/run installs Debian's chromium for this test", pytrace=False
    )
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
)


def _fontconfig(tmp: Path) -> dict[str, str]:
    """Environment with a fontconfig file that adds the CJK font gridopt installs (mplfonts),
    so Chinese text renders in the screenshot on a machine without system CJK fonts."""
    env = dict(os.environ)
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.origin:
        return env
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{Path(spec.origin).parent / 'fonts'}</dir><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>"
    )
    env["FONTCONFIG_FILE"] = str(conf)
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
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=_fontconfig(tmp))


def test_html_renders_in_chromium(tmp_path):
    """The Chinese page (the default; it also registers plotly's zh-CN locale). The English page
    runs the same scripts; its structure is checked in test_report."""
    lang = "zh"
    results = tmp_path / "results"
    write_netcdf(results / "results.nc", synthetic_results())
    make_report(results, lang=lang, formats="html")
    page = results / "report.html"

    shot = tmp_path / f"screenshot_{lang}.png"
    res = _chromium(page, tmp_path, "--window-size=1400,2400", f"--screenshot={shot}", "--dump-dom")
    console = [ln for ln in res.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    assert not console, "console messages:\n" + "\n".join(console)
    html = res.stdout
    for div in CHART_IDS:  # each chart div holds plotly's rendered SVG
        m = re.search(rf'<div id="{div}"[^>]*class="[^"]*js-plotly-plot[^"]*"', html)
        assert m, f"{div} was not rendered"
    assert html.count('class="main-svg"') >= 2 * len(CHART_IDS)

    assert shot.exists(), res.stderr[-2000:]
    with Image.open(shot) as im:
        assert im.size == (1400, 2400)
        a = np.asarray(im.convert("L"))
    assert (a < 200).mean() > 0.02, "screenshot is nearly blank"
    assert len(np.unique(a)) > 50
