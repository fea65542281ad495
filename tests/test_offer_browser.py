"""The offer sheet opened in a real headless browser (Debian's chromium, as
tests/test_report_browser.py, whose helpers it uses): the Chinese sheet, with a Chinese tenant
name, a build list and a weather-year band, under a fontconfig whose only font is Latin
DejaVu Sans, draws every CJK character from the page's embedded subset, logs nothing to the
console, gives a screenshot that is not blank, and prints to exactly one PDF page (A4).
Without chromium the test is skipped on a developer machine and fails in CI.
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest
from PIL import Image

from gridopt.tenant.offer import weather_years_block, write_offer_sheets
from tests.test_offer import dispatch_study, plan_study
from tests.test_report import embedded_cmap
from tests.test_report_browser import CHROMIUM, _chromium, drawn_cjk

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)"
)


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF chromium wrote: its page objects (``/Type /Page``, not ``/Pages``)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _study(kind: str) -> dict:
    data = plan_study() if kind == "plan" else dispatch_study()
    t = data["tenants"][0]
    t["name"] = "负极材料"
    if kind == "plan":  # a long build list (cut at 8 rows) and a band of 3 weather years
        row = t["build_for_tenant"][0]
        t["build_for_tenant"] = [{**row, "asset": f"风电_{k}"} for k in range(12)]
    per_seed = {}
    for seed, v in ((1, 0.30), (2, 0.20), (3, 0.25)):
        d = copy.deepcopy(data)
        key = "offer_price_cny_per_kwh" if kind == "plan" else "short_run_price_cny_per_kwh"
        d["tenants"][0][key] = v
        per_seed[seed] = d
    data["weather_years"] = weather_years_block(per_seed, [1, 2, 3])
    return data


@pytest.mark.parametrize("kind,lang", [("plan", "zh"), ("dispatch", "zh"), ("plan", "en")])
def test_offer_sheet_in_chromium_one_page_and_only_the_embedded_cjk_font(tmp_path, kind, lang):
    """zh: the default; en: longer texts, its Chinese tenant name from the subset too."""
    [page] = write_offer_sheets(_study(kind), tmp_path, lang)
    shot = tmp_path / "sheet.png"
    (tmp_path / "screen").mkdir()
    res = _chromium(
        page, tmp_path / "screen", "--window-size=900,1300", f"--screenshot={shot}", "--dump-dom"
    )
    console = [ln for ln in res.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    assert not console, "console messages:\n" + "\n".join(console)

    # every CJK character chromium drew is in the embedded subset (no other CJK font here)
    cmap = embedded_cmap(page.read_text(encoding="utf-8"))
    drawn = drawn_cjk(res.stdout)
    assert len(drawn) > (60 if lang == "zh" else 3) and set("负极材料") <= drawn
    missing = sorted(c for c in drawn if ord(c) not in cmap)
    assert not missing, f"{len(missing)} characters drawn without a glyph: {''.join(missing)}"

    assert shot.exists(), res.stderr[-2000:]
    with Image.open(shot) as im:
        a = np.asarray(im.convert("L"))
    assert (a < 200).mean() > 0.02, "screenshot is nearly blank"
    assert len(np.unique(a)) > 50

    pdf = tmp_path / "sheet.pdf"
    (tmp_path / "print").mkdir()
    res = _chromium(page, tmp_path / "print", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.exists(), res.stderr[-2000:]
    data = pdf.read_bytes()
    assert pdf_pages(data) == 1, f"{pdf_pages(data)} pages"
    # A4 portrait: 595 x 842 pt
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box and abs(float(box.group(1)) - 595) < 2 and abs(float(box.group(2)) - 842) < 2
