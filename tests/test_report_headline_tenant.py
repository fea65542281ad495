"""The headline card of a tenant study's folder (gridopt.report.headline_tenant), on the 48 h
synthetic results of test_prices with a hand-made tenant.json beside them (no solver).

By hand: the base case's delivered price is 0.287798 CNY/kWh (test_prices). Tenant 'cheap' has
an offer price of 0.3500 CNY/kWh: 0.3500 - 0.3078 = 0.0422 above the coal benchmark and
0.4 - 0.35 = 0.0500 below the provincial tariff; tenant 'big' has none (null), so the card
leads with 'cheap''s offer and shows the grid's 0.2878 beside it, named as the grid's delivered
price without the tenants. With no offer at all the delivered price leads, under that name.
"""

from __future__ import annotations

import json
import re

import pytest

from gridopt.io import write_netcdf
from gridopt.report import data as D
from gridopt.report import make_report
from gridopt.report.headline import card_rows
from gridopt.report.i18n import Translator
from tests.test_prices import synthetic_results
from tests.test_report import _tenant_json


def _folder(tmp_path, offers: dict):
    d = tmp_path / "res"
    write_netcdf(d / "results.nc", synthetic_results())
    tj = _tenant_json("0" * 64, 48)
    for t in tj["tenants"]:
        t["offer_price_cny_per_kwh"] = offers.get(t["name"])
    (d / "tenant.json").write_text(json.dumps(tj), encoding="utf-8")
    return d


def test_offer_leads_the_card_with_the_base_price_beside_it(tmp_path):
    d = _folder(tmp_path, {"cheap": 0.35, "big": None})
    h = D.build(synthetic_results(), d).headline
    assert h.tenants == ["cheap", "big"] and h.offers == [("cheap", 0.35)]
    en = card_rows(h, Translator("en"))
    assert (en[0].key, en[0].label, en[0].value) == (
        "offer-cny-per-kwh",
        "Offer price for tenant cheap",
        0.35,
    )
    assert en[0].text == (
        "0.0422 CNY/kWh above the coal benchmark (0.3078 CNY/kWh); "
        "0.0500 CNY/kWh below the provincial tariff (0.4000 CNY/kWh)"
    )
    assert "delivered" not in en[0].label.lower()
    base = {r.key: r for r in en}["delivered-cny-per-kwh"]
    assert base.value == pytest.approx(0.287798, abs=1e-6)
    assert base.label.startswith("Delivered price of the grid without the tenants")
    # the 100 MW tile is computed at the grid's delivered price, and says so beside an offer
    # (0.4 - 0.287798 = 0.112202 CNY/kWh x 100 MW x 8760 h x 1000 = 98.29 million CNY/yr)
    tile = {r.key: r for r in en}["saving-per-year-cny"]
    assert (
        tile.label
        == "Saving per year for a flat 100 MW load at the grid's delivered price (not the offer)"
    )
    assert tile.value == pytest.approx(0.112202 * 100 * 8760 * 1000 / 1e6, abs=0.01)
    zh = card_rows(h, Translator("zh"))
    assert {r.key: r for r in zh}["saving-per-year-cny"].label.endswith(
        "（按电网到户电价，非报价）"
    )
    assert zh[0].label == "用户 cheap 建议报价" and "到户" not in zh[0].label
    assert zh[0].text.startswith("比燃煤基准价（0.3078 元/kWh）高 0.0422 元/kWh")

    make_report(d, lang="en", formats="html")
    page = (d / "report.html").read_text(encoding="utf-8")
    card = page[
        page.index('<section class="headline"') : page.index(
            "</section>", page.index('<section class="headline"')
        )
    ]
    assert 'data-offer-cny-per-kwh="0.35"' in card
    assert re.search(
        r'Offer price for tenant cheap<sup>\d</sup></div><div class="hl-price" id="hl-offer">0\.3500',
        card,
    )
    assert re.search(
        r'id="hl-delivered-cny-per-kwh".*?Delivered price of the grid without the tenants.*?<div class="v">0\.2878',
        card,
    )
    assert 'id="hl-delivered"' not in card  # the large figure is the offer


def test_without_an_offer_the_delivered_price_leads_named_as_the_grids(tmp_path):
    d = _folder(tmp_path, {})
    h = D.build(synthetic_results(), d).headline
    assert h.offers == []
    en = card_rows(h, Translator("en"))
    assert en[0].key == "delivered-cny-per-kwh"
    assert en[0].label == (
        "Delivered price of the grid without the tenants (base case, the fleet as it is)"
    )
    assert card_rows(h, Translator("zh"))[0].label.startswith("不含拟入驻用户时电网的到户电价")
    tile = {r.key: r for r in en}["saving-per-year-cny"]
    assert tile.label == "Saving per year for a flat 100 MW load"  # no offer: no qualifier
    # a folder without tenant.json: the card as before
    plain = D.build(synthetic_results(), tmp_path / "none").headline
    assert card_rows(plain, Translator("en"))[0].label == "Delivered price"
