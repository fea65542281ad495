"""The texts of the offer sheet (报价单, :mod:`gridopt.tenant.offer`) in Chinese and English.

Every key starts with ``offer_``; both languages have the same keys and the same ``str.format``
fields (tests/test_offer.py checks it). :func:`offer_translator` reads them with the report's
:class:`~gridopt.report.i18n.Translator`, on top of the report's own texts (units such as
``u_cny_per_kwh``), so the sheet and the report share one way of translating.
"""

from __future__ import annotations

from gridopt.report.i18n import TEXTS, Translator

OFFER_ZH: dict[str, str] = {
    "offer_title": "建议报价单",
    "offer_title_short_run": "短期电价说明（非报价）",
    "offer_for": "用户：{name}　接入母线：{bus}",
    "offer_headline": "建议报价",
    "offer_headline_short_run": "短期电价",
    "offer_not_offer": "非报价",
    "offer_no_expansion": (
        "本情景没有可扩建的选项，因此无法给出建议报价。下列数字是短期电价（短期增量成本 + 输配电价"
        " + 政府性基金及附加）：它无偿使用现有电源，不回收任何新建投资，不是可以长期承诺的报价。"
    ),
    "offer_band": "{n} 个气象年的 P10–P90：{p10} – {p90} 元/kWh（P50 {p50}）",
    "offer_band_caution": "仅由 {n} 个气象年得出的区间只具参考意义。",
    "offer_made_of": "价格构成",
    "offer_lric": "长期增量成本",
    "offer_sric": "短期增量成本",
    "offer_network": "输配电价",
    "offer_funds": "政府性基金及附加",
    "offer_total": "建议报价",
    "offer_total_short_run": "短期电价（非报价）",
    "offer_short_run_reference": "参考：短期电价（非报价）",
    "offer_compare": "对比",
    "offer_provincial": "省网目录电价",
    "offer_benchmark": "燃煤基准价",
    "offer_difference": "差额（对比价 − 本价）",
    "offer_green": "绿电",
    "offer_green_share": "逐时匹配绿电占比",
    "offer_green_share_note": "每小时由原本会被弃掉的风光电量满足的用电比例，逐时匹配，不跨时段",
    "offer_green_mix": "电网平均绿电占比（归属法）",
    "offer_energy": "用电量",
    "offer_energy_horizon": "计算时段用电量",
    "offer_energy_year": "年用电量",
    "offer_conditions": "前提条件",
    "offer_build": "规划为该用户所做的容量变化（与不含该用户的规划相比；须在 {year} 年初投运）",
    "offer_build_none": "该用户不需要新建任何容量。",
    "offer_build_more": "另有 {n} 项，见 tenant.json。",
    "offer_build_less": "负值：有该用户时规划少建的容量（另一项投资替代了它）；年成本为负即节省。",
    "offer_asset": "设施",
    "offer_family": "类别",
    "offer_added": "容量变化",
    "offer_retired": "退役",
    "offer_annual_cost": "年成本",
    "offer_scenario": "情景：{scenario}，{hours} 小时，自 {start}（{mode}）",
    "offer_mode_plan": "规划模式",
    "offer_mode_dispatch": "调度模式，无扩建选项",
    "offer_annualisation": (
        "计算时段只有 {hours} 小时：年度数字按 8760/{hours} = {factor} 倍折算，假定全年与这段时间相同。"
    ),
    "offer_weather_none": "价格基于情景本身的一个气象年；加 --weather-years N 可给出气象年区间。",
    "offer_footer_scenario_hash": "情景 SHA-256",
    "offer_footer_inputs_hash": "输入数据 SHA-256",
    "offer_footer_generated": "gridopt {version}，{date} 生成",
}

OFFER_EN: dict[str, str] = {
    "offer_title": "Offer sheet",
    "offer_title_short_run": "Short-run price statement (not an offer)",
    "offer_for": "Tenant: {name} · bus: {bus}",
    "offer_headline": "Offer price",
    "offer_headline_short_run": "Short-run price",
    "offer_not_offer": "not an offer price",
    "offer_no_expansion": (
        "This scenario has no expansion options, so there is no offer price. The figure below is "
        "the short-run price (short-run incremental cost + network charge + funds): it uses the "
        "existing plants for free and recovers no capital for new ones; it is not an offer price "
        "that can be kept for years."
    ),
    "offer_band": "P10–P90 over {n} weather years: {p10} – {p90} CNY/kWh (P50 {p50})",
    "offer_band_caution": "A band from {n} weather years is indicative only.",
    "offer_made_of": "What it is made of",
    "offer_lric": "long-run incremental cost",
    "offer_sric": "short-run incremental cost",
    "offer_network": "network charge",
    "offer_funds": "government funds and surcharges",
    "offer_total": "offer price",
    "offer_total_short_run": "short-run price (not an offer price)",
    "offer_short_run_reference": "for reference: short-run price (not an offer price)",
    "offer_compare": "Compared with",
    "offer_provincial": "provincial tariff",
    "offer_benchmark": "coal benchmark price",
    "offer_difference": "difference (comparison − this price)",
    "offer_green": "Green electricity",
    "offer_green_share": "hour-matched green share",
    "offer_green_share_note": "share of the tenant's consumption met, hour by hour, by wind and PV output that would otherwise be curtailed",
    "offer_green_mix": "grid-mix green share (attributional)",
    "offer_energy": "Energy",
    "offer_energy_horizon": "energy over the horizon",
    "offer_energy_year": "annual energy",
    "offer_conditions": "Conditions",
    "offer_build": "What the plan changes for this tenant (against the plan without it; in service from the start of {year})",
    "offer_build_none": "Nothing needs to be built for this tenant.",
    "offer_build_more": "{n} more in tenant.json.",
    "offer_build_less": "Negative: capacity the plan builds less of with the tenant (another investment takes its place); a negative annual cost is a saving.",
    "offer_asset": "asset",
    "offer_family": "family",
    "offer_added": "change in capacity",
    "offer_retired": "retires",
    "offer_annual_cost": "annual cost",
    "offer_scenario": "Scenario: {scenario}, {hours} h from {start} ({mode})",
    "offer_mode_plan": "planning mode",
    "offer_mode_dispatch": "dispatch mode, no expansion options",
    "offer_annualisation": (
        "The horizon is only {hours} h: per-year figures scale it by 8760/{hours} = {factor}, "
        "assuming the whole year is like these hours."
    ),
    "offer_weather_none": "The price is for the scenario's own weather year; --weather-years N gives a band across weather years.",
    "offer_footer_scenario_hash": "scenario SHA-256",
    "offer_footer_inputs_hash": "inputs SHA-256",
    "offer_footer_generated": "gridopt {version}, generated {date}",
}

OFFER_TEXTS: dict[str, dict[str, str]] = {"zh": OFFER_ZH, "en": OFFER_EN}


def offer_translator(lang: str) -> Translator:
    """The report's :class:`Translator` for ``lang`` with the offer texts added."""
    tr = Translator(lang)
    tr.texts = {**TEXTS[lang], **OFFER_TEXTS[lang]}
    return tr
