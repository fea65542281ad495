"""Default cost figures by technology, with sources (../shared/DOMAIN.md "Costs").

Used when an asset's ``economics`` block leaves a figure out. Every figure is CNY of 2022-26.
``capex_cny_per_kw`` is per kW of power (output, or charge power for storage);
``capex_cny_per_kwh`` per kWh of storage energy; fixed O&M either per kW-year or as a share of
capex per year.
"""

from __future__ import annotations

# technology -> figures; "source" is shown in reports and docs/assumptions.md
TECH_DEFAULTS: dict[str, dict[str, float | str]] = {
    "wind": {
        "capex_cny_per_kw": 4200.0,
        "fixed_om_fraction_per_yr": 0.02,
        "lifetime_yr": 25,
        "source": "assumption: capex trend from CREEI 5,800 (2021) and 2024 turbine tenders 2.15-2.7 CNY/W; O&M 2 %/yr; life 25 yr (DOMAIN.md)",
    },
    "solar": {
        "capex_cny_per_kw": 3000.0,
        "fixed_om_fraction_per_yr": 0.015,
        "lifetime_yr": 25,
        "source": "assumption: capex trend from CPIA 4.15 CNY/W (2021); O&M 1.5 %/yr; life 25 yr (DOMAIN.md)",
    },
    "hydro": {
        "capex_cny_per_kw": 8000.0,
        "fixed_om_fraction_per_yr": 0.01,
        "lifetime_yr": 50,
        "source": "assumption: run-of-river hydro, not in DOMAIN.md",
    },
    "other": {
        "capex_cny_per_kw": 4000.0,
        "fixed_om_fraction_per_yr": 0.02,
        "lifetime_yr": 25,
        "source": "assumption",
    },
    "coal": {
        "capex_cny_per_kw": 3800.0,
        "fixed_om_cny_per_kw_yr": 125.0,
        "lifetime_yr": 30,
        "source": "assumption: capex of a 300-1,000 MW unit (not in DOMAIN.md); fixed O&M 100-150 CNY/kW-yr and life 30 yr (DOMAIN.md)",
    },
    "battery": {
        "capex_cny_per_kw": 300.0,
        "capex_cny_per_kwh": 600.0,
        "fixed_om_fraction_per_yr": 0.02,
        "lifetime_yr": 15,
        "source": "assumption: 0.6 CNY/Wh + 300 CNY/kW (DOMAIN.md capex defaults; 2025 tenders 0.37-0.47 CNY/Wh); O&M 2 %/yr; life 15 yr",
    },
    "pumped_hydro": {
        "capex_cny_per_kw": 8470.0,
        "capex_cny_per_kwh": 0.0,
        "fixed_om_fraction_per_yr": 0.01,
        "lifetime_yr": 50,
        "source": "Yumen Changma approval: about 8,470 CNY/kW for 6 h; life 50 yr (DOMAIN.md); O&M 1 %/yr assumption",
    },
    "line": {
        "capex_cny_per_kw": 0.0,
        "fixed_om_fraction_per_yr": 0.02,
        "lifetime_yr": 40,
        "source": "assumption: lines carry their own capex_cny; O&M 2 %/yr; life 40 yr",
    },
    "tie": {
        "capex_cny_per_kw": 4400.0,
        "fixed_om_fraction_per_yr": 0.01,
        "lifetime_yr": 40,
        "source": "±800 kV UHVDC line with its converter stations: Gansu-Zhejiang, 8 GW, 2,370 km "
        "(about the length of the 2,383 km Qilian-Shaoshan line), CNY 35.3 bn = 4,410 CNY/kW "
        "(SGCC via Enerdata 2024); Ningxia-Hunan, 8 GW, 1,634 km, CNY 28.1 bn = 3,510 CNY/kW "
        "(SGCC via gov.cn, 2023-06-11); O&M 1 %/yr and life 40 yr: assumption",
    },
}
TECH_DEFAULTS["gas"] = {
    **TECH_DEFAULTS["coal"],
    "capex_cny_per_kw": 2800.0,
    "source": "assumption: gas unit",
}
TECH_DEFAULTS["storage_other"] = TECH_DEFAULTS["battery"]


def crf(rate: float, years: float) -> float:
    """Capital recovery factor [1/yr]: rate / (1 - (1 + rate)^-years); 1/years at rate 0.

    >>> round(crf(0.06, 25), 6)
    0.078227
    """
    if years <= 0:
        raise ValueError("lifetime must be positive")
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** -years)
