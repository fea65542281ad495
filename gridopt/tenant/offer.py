r"""The offer sheet (建议报价单): one printable A4 page per tenant (``offer_<tenant>.html``), and
the tenant study over synthetic weather years behind its price band.

Everything on the sheet is read from the ``tenant.json`` content (:meth:`TenantStudy.to_dict`),
so the sheet and the file cannot disagree. Per tenant entry:

==============================================  ==========================================
offer price (建议报价) [CNY/kWh]                 ``offer_price_cny_per_kwh``
                                                 P_offer = LRIC/1000 + c_net + c_funds
short-run price (短期电价) [CNY/kWh]             ``short_run_price_cny_per_kwh``
                                                 P_sr = SRIC/1000 + c_net + c_funds
LRIC, SRIC [CNY/MWh]                            ``long_run_incremental_cost_cny_per_mwh``,
                                                 ``short_run_incremental_cost_cny_per_mwh``
c_net, c_funds, benchmark, provincial [CNY/kWh] header ``tariffs_cny_per_kwh``
==============================================  ==========================================

The headline is P_offer. Without expansion options (``offer_price_cny_per_kwh`` null, dispatch
mode) there is no offer price: the sheet says so, and shows P_sr under its own name with the
note "not an offer price" (never under the offer's name). The comparison rows are differences
``tariff - P`` [CNY/kWh] (positive: the tenant pays less than the tariff).

Weather years (``--weather-years N``): the tenant study is re-run with every synthetic-weather
generator of the scenario at seed s = s0, s0+1, ..., s0+N-1 (s0 the scenario's smallest seed,
as ``gridopt sweep --weather-years N`` makes its weather years,
:func:`gridopt.sweep.plan_sweep`); the study of the scenario itself is reused for s0 when every
generator already uses s0. Each year y gives the headline figure P_y of each tenant (P_offer,
or P_sr in dispatch mode); the band is the 10th, 50th and 90th percentile of P_y with numpy's
linear interpolation (as :mod:`gridopt.sweep.collect`): sorted values v_0..v_{N-1}, the q-th
percentile at position q (N-1) between the two nearest. Example: 0.30, 0.20, 0.25 -> sorted
0.20, 0.25, 0.30; P10 at position 0.2: 0.20 + 0.2 x 0.05 = 0.21; P50 = 0.25; P90 at 1.8:
0.25 + 0.8 x 0.05 = 0.29. With N < 5 the sheet says the band is indicative only. The years run
one after another in this process (the sweep's Dask runner solves ``gridopt run`` cases, not
tenant studies). The block ``weather_years`` of ``tenant.json`` holds, per tenant, each year's
figures and the band.

The page embeds the CJK glyphs it draws (:func:`gridopt.report.fonts.font_face_css`), needs no
network, and prints on one A4 page (``@page``; the build list is cut at :data:`MAX_BUILD_ROWS`).
"""

from __future__ import annotations

import datetime
import math
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

import gridopt
from gridopt.console import Prefixed, say
from gridopt.console_texts import TEXTS
from gridopt.errors import GridoptError, InputError, Problem
from gridopt.io import atomic_write
from gridopt.report import check_lang
from gridopt.report.common import esc
from gridopt.report.fonts import font_face_css
from gridopt.report.plotly_figures import FONT_STACK
from gridopt.tenant.offer_texts import offer_translator

Progress = Callable[[str], None]

OFFER = "offer_price_cny_per_kwh"
SHORT_RUN = "short_run_price_cny_per_kwh"
QUANTILES = (0.1, 0.5, 0.9)
FEW_YEARS = 5
"""Below this many weather years the band is marked indicative only."""
MAX_BUILD_ROWS = 8
"""Rows of the build list on the sheet (the rest: tenant.json)."""
KWH_PER_MWH = 1000.0


# --- the figures -------------------------------------------------------------------------------


def headline_key(t: dict[str, Any]) -> str:
    """The key of a tenant's headline figure: the offer price when there is one, else the
    short-run price (shown as such, never as an offer)."""
    return OFFER if t.get(OFFER) is not None else SHORT_RUN


def band(values: Sequence[float]) -> dict[str, float]:
    """P10, P50 and P90 of ``values`` (numpy linear interpolation; see the module docstring)."""
    v = np.asarray([x for x in values if x is not None and math.isfinite(x)], float)
    if v.size == 0:
        return {"p10": math.nan, "p50": math.nan, "p90": math.nan}
    q = np.quantile(v, QUANTILES)
    return {"p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])}


def sheet_file(name: str) -> str:
    """File name of a tenant's sheet."""
    return f"offer_{name}.html"


# --- the page ----------------------------------------------------------------------------------

CSS = """
@page{size:A4;margin:12mm 14mm 12mm 14mm}
*{box-sizing:border-box}
html,body{margin:0;padding:0}
body{font-family:%(font)s;font-size:9.5pt;line-height:1.3;color:#1a1a1a;background:#fff}
.sheet{width:182mm;margin:0 auto}
@media screen{body{background:#e9ecef}.sheet{background:#fff;padding:12mm 14mm;width:210mm;margin:8px auto;box-shadow:0 1px 6px rgba(0,0,0,.25)}}
h1{font-size:17pt;margin:0 0 2px} h2{font-size:11pt;margin:8px 0 3px;border-bottom:1.5px solid #ccc;padding-bottom:1px}
p{margin:3px 0}
.sub{color:#555;margin:0 0 4px}
.head{border:2px solid #1f4e79;border-radius:4px;padding:6px 12px;margin:6px 0;break-inside:avoid}
.head.sr{border-color:#b26a00}
.head .label{font-size:12pt;font-weight:700;color:#1f4e79} .head.sr .label{color:#b26a00}
.head .price{font-size:32pt;font-weight:700;line-height:1.1;font-variant-numeric:tabular-nums}
.head .unit{font-size:14pt;font-weight:400;margin-left:6px}
.badge{display:inline-block;background:#b26a00;color:#fff;font-size:10pt;padding:1px 8px;border-radius:3px;margin-left:8px;vertical-align:middle}
.band{font-size:11pt;margin-top:2px}
.warn{border:2px solid #d62728;background:#fde8e8;color:#8b0000;font-weight:700;padding:4px 9px;margin:4px 0}
.note{border-left:4px solid #e6a100;background:#fff8e1;padding:4px 9px;margin:4px 0;color:#5c4600}
table{border-collapse:collapse;width:100%%;margin:2px 0 5px}
th,td{border:1px solid #d0d0d0;padding:2px 6px;text-align:left} th{background:#f2f4f7}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:700;border-top:2px solid #888}
section{break-inside:avoid}
footer{margin-top:8px;border-top:1px solid #ccc;padding-top:3px;color:#444;font-size:7.5pt}
footer code{font-size:7pt;word-break:break-all}
"""


def _num(key: str, value: float, decimals: int, scale: float = 1.0) -> str:
    """A shown figure: its text at ``decimals`` and, for reading it back, the ``tenant.json``
    key it comes from and the scale it is shown at (``value * scale``)."""
    shown = value * scale
    if round(shown, decimals) == 0:
        shown = 0.0  # no "-0.0000"
    s = f' data-scale="{scale!r}"' if scale != 1.0 else ""
    return f'<span class="num" data-key="{esc(key)}"{s}>{shown:,.{decimals}f}</span>'


def _row(label: str, cell: str, unit: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<tr{c}><td>{esc(label)}</td><td class="n">{cell}</td><td>{esc(unit)}</td></tr>'


def _table(rows: list[str], head: Sequence[str] | None = None) -> str:
    h = "<tr>" + "".join(f"<th>{esc(x)}</th>" for x in head) + "</tr>" if head else ""
    return f"<table><thead>{h}</thead><tbody>{''.join(rows)}</tbody></table>"


def _added(b: dict, k: int, tr) -> str:
    """The added capacity of one build row: ``delta_new`` with its ``unit`` (and what it
    retires), or ``delta_mw`` / ``delta_mwh``."""
    at = f"build_for_tenant.{k}"
    if b.get("delta_new") is not None:
        unit = str(b.get("unit", ""))
        text = f"{_num(f'{at}.delta_new', b['delta_new'], 1)} {esc(unit)}"
        if abs(b.get("delta_retired") or 0.0) > 0:
            text += f" ({esc(tr('offer_retired'))} {_num(f'{at}.delta_retired', b['delta_retired'], 1)} {esc(unit)})"
        return text
    for key, unit in (("delta_mw", "MW"), ("delta_mwh", "MWh")):
        if b.get(key) is not None:
            return f"{_num(f'{at}.{key}', b[key], 1)} {unit}"
    return "-"


def _less(b: dict) -> bool:
    """Whether a build row is a reduction: the plan with the tenant builds less of it (a
    negative change in new capacity, MW or MWh) than the plan without."""
    return any((b.get(k) or 0.0) < 0 for k in ("delta_new", "delta_mw", "delta_mwh"))


def _build_rows(t: dict, tr) -> str:
    """The build list: asset, family, added MW or MWh, annual cost (money unit of the page)."""
    build = t.get("build_for_tenant") or []
    if not build:
        return f"<p>{esc(tr('offer_build_none'))}</p>"
    rows = []
    for k, b in enumerate(build[:MAX_BUILD_ROWS]):
        fam = str(b.get("family", ""))
        fam = tr.texts.get(f"fam_{fam}", fam)
        cost_key = next((c for c in b if "annual_cost" in str(c)), None)
        cost = (
            _num(f"build_for_tenant.{k}.{cost_key}", b[cost_key], 1, tr.money(1.0))
            if cost_key is not None and b[cost_key] is not None
            else "-"
        )
        rows.append(
            f"<tr><td>{esc(b.get('asset', ''))}</td><td>{esc(fam)}</td>"
            f'<td class="n">{_added(b, k, tr)}</td><td class="n">{cost}</td></tr>'
        )
    more = len(build) - MAX_BUILD_ROWS
    tail = f"<p>{esc(tr('offer_build_more', n=more))}</p>" if more > 0 else ""
    if any(_less(b) for b in build[:MAX_BUILD_ROWS]):  # the plan builds less of something
        tail += f'<p class="note">{esc(tr("offer_build_less"))}</p>'

    head = [tr("offer_asset"), tr("offer_family"), tr("offer_added"), tr("offer_annual_cost")]
    head[3] += f" [{tr('u_money_yr')}]"
    return _table(rows, head) + tail


def sheet_html(
    data: dict[str, Any], name: str, lang: str = "zh", *, date: str | None = None
) -> str:
    """The offer sheet of tenant ``name`` from the ``tenant.json`` content ``data``, as one
    self-contained HTML page in ``lang`` (zh or en); ``date`` (ISO) defaults to today."""
    lang = check_lang(lang)
    tr = offer_translator(lang)
    t = next((x for x in data["tenants"] if x["name"] == name), None)
    if t is None:
        raise KeyError(f"no tenant {name!r} in the study")
    tf = data["tariffs_cny_per_kwh"]
    key = headline_key(t)
    is_offer = key == OFFER
    price = float(t[key])
    kwh = tr("u_cny_per_kwh")
    mwh = tr("u_cny_per_mwh")
    c = tr("colon")

    # headline, and the band across weather years
    wy = (data.get("weather_years") or {}).get("tenants", {}).get(name)
    if wy is not None and wy.get("figure") == key:  # a band of the headline figure only
        n = len(wy["per_year"])
        band_html = '<div class="band">' + esc(
            tr("offer_band", n=n, p10="§10", p90="§90", p50="§50")
        )
        for q in ("10", "50", "90"):
            band_html = band_html.replace(
                f"§{q}", _num(f"weather_years.tenants.{name}.p{q}", wy[f"p{q}"], 4)
            )
        band_html += "</div>"
        if n < FEW_YEARS:
            band_html += f'<div class="note">{esc(tr("offer_band_caution", n=n))}</div>'
    else:
        band_html = f'<div class="sub">{esc(tr("offer_weather_none"))}</div>'
    if t.get("fits") is False:  # a price for a tenant the grid cannot serve is no offer
        band_html += (
            '<div class="warn">'
            + esc(
                tr("warn_tenant_unfit", name=name, mwh=float(t.get("unserved_energy_mwh") or 0.0))
            )
            + "</div>"
        )
    if is_offer:
        head = (
            f'<div class="head"><div class="label">{esc(tr("offer_headline"))}</div>'
            f'<div class="price">{_num(key, price, 4)}<span class="unit">{esc(kwh)}</span></div>'
            f"{band_html}</div>"
        )
    else:
        head = (
            f'<div class="note">{esc(tr("offer_no_expansion"))}</div>'
            f'<div class="head sr"><div class="label">{esc(tr("offer_headline_short_run"))}'
            f'<span class="badge">{esc(tr("offer_not_offer"))}</span></div>'
            f'<div class="price">{_num(key, price, 4)}<span class="unit">{esc(kwh)}</span></div>'
            f"{band_html}</div>"
        )

    # what it is made of
    ic_key = (
        "long_run_incremental_cost_cny_per_mwh"
        if is_offer
        else "short_run_incremental_cost_cny_per_mwh"
    )
    ic_label = tr("offer_lric") if is_offer else tr("offer_sric")
    ic = float(t[ic_key])
    rows = [
        _row(ic_label, _num(ic_key, ic, 4, 1 / KWH_PER_MWH), kwh)
        + _row(f"  = {ic_label}", _num(ic_key, ic, 1), mwh),
        _row(
            tr("offer_network"),
            _num("tariffs_cny_per_kwh.network_charge", tf["network_charge"], 4),
            kwh,
        ),
        _row(tr("offer_funds"), _num("tariffs_cny_per_kwh.funds", tf["funds"], 4), kwh),
        _row(
            tr("offer_total") if is_offer else tr("offer_total_short_run"),
            _num(key, price, 4),
            kwh,
            "total",
        ),
    ]
    if is_offer and t.get(SHORT_RUN) is not None:
        rows.append(_row(tr("offer_short_run_reference"), _num(SHORT_RUN, t[SHORT_RUN], 4), kwh))
    made_of = _table(rows)
    compare = _table(
        [
            f"<tr><td>{esc(tr(lab))}</td>"
            f'<td class="n">{_num(f"tariffs_cny_per_kwh.{k}", tf[k], 4)}</td>'
            f'<td class="n">{_num(f"difference.{k}", tf[k] - price, 4)}</td><td>{esc(kwh)}</td></tr>'
            for k, lab in (("provincial", "offer_provincial"), ("benchmark", "offer_benchmark"))
        ],
        [tr("offer_compare"), tr("value"), tr("offer_difference"), tr("unit")],
    )

    # green share and energy
    green = [
        _row(tr("offer_green_share"), _num("green_share", t["green_share"], 1, 100.0), "%"),
    ]
    if t.get("green_share_grid_mix") is not None:
        green.append(
            _row(
                tr("offer_green_mix"),
                _num("green_share_grid_mix", t["green_share_grid_mix"], 1, 100.0),
                "%",
            )
        )
    green.append(_row(tr("offer_energy_horizon"), _num("energy_mwh", t["energy_mwh"], 0), "MWh"))
    if t.get("annual_energy_mwh") is not None:
        green.append(
            _row(
                tr("offer_energy_year"), _num("annual_energy_mwh", t["annual_energy_mwh"], 0), "MWh"
            )
        )

    # conditions: what gets built, scenario and horizon, annualisation
    start = str(data.get("start", ""))[:16]
    year = start[:4] or "?"
    mode = tr("offer_mode_plan") if data.get("mode") == "plan" else tr("offer_mode_dispatch")
    cond = [
        f"<p>{esc(tr('offer_scenario', scenario=data.get('scenario'), hours=data['hours'], start=start, mode=mode))}</p>"
    ]
    if data.get("mode") == "plan" or t.get("build_for_tenant"):
        cond.append(f"<p><b>{esc(tr('offer_build', year=year))}</b></p>{_build_rows(t, tr)}")
    if data.get("annualisation"):
        H = int(data["hours"])
        cond.append(
            f'<div class="note">{esc(tr("offer_annualisation", hours=H, factor=f"{8760 / H:.3f}"))}</div>'
        )

    title = tr("offer_title") if is_offer else tr("offer_title_short_run")
    date = date or datetime.date.today().isoformat()
    footer = (
        "<footer>"
        f"<div>{esc(tr('offer_footer_scenario_hash'))}{c}<code>{esc(data.get('scenario_sha256'))}</code></div>"
        f"<div>{esc(tr('offer_footer_inputs_hash'))}{c}<code>{esc(data.get('inputs_sha256'))}</code></div>"
        f"<div>{esc(tr('offer_footer_generated', version=gridopt.__version__, date=date))}</div>"
        "</footer>"
    )
    body = (
        f'<div class="sheet"><h1>{esc(title)}</h1>'
        f'<p class="sub">{esc(tr("offer_for", name=name, bus=t.get("bus", "")))}</p>'
        f"{head}"
        f"<section><h2>{esc(tr('offer_made_of'))}</h2>{made_of}{compare}</section>"
        f"<section><h2>{esc(tr('offer_green'))}</h2>{_table(green)}"
        f'<div class="sub">{esc(tr("offer_green_share_note"))}</div></section>'
        f"<section><h2>{esc(tr('offer_conditions'))}</h2>{''.join(cond)}</section>"
        f"{footer}</div>"
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="{tr("lang_attr")}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} — {esc(name)}</title><style>/*CJK-FONT*/{CSS % {'font': FONT_STACK}}</style>"
        f"</head><body>{body}</body></html>\n"
    )
    # every CJK character the page draws, in either language (a tenant may have a Chinese name)
    return page.replace("/*CJK-FONT*/", font_face_css(page), 1)


def write_offer_sheets(
    data: dict[str, Any], out_dir: str | Path, lang: str = "zh", *, date: str | None = None
) -> list[Path]:
    """Write ``offer_<tenant>.html`` for every tenant of the ``tenant.json`` content ``data``
    into ``out_dir``, each atomically; returns the paths."""
    out = Path(out_dir)
    written = []
    for t in data["tenants"]:
        text = sheet_html(data, t["name"], lang, date=date)
        path = out / sheet_file(t["name"])
        atomic_write(path, lambda p, text=text: p.write_text(text, encoding="utf-8"))
        written.append(path)
    return written


# --- weather years -----------------------------------------------------------------------------


def weather_year_seeds(
    scenario: str | Path, n: int, hours: int | None = None
) -> tuple[list[int], int | None]:
    """The seeds of ``n`` weather years of ``scenario`` and the seed the scenario itself uses
    (None: none or several), checked before anything is solved (:func:`gridopt.sweep.plan_sweep`
    on the weather years alone). Raises :class:`InputError` for ``n`` < 1, a scenario without
    synthetic weather, or a generator inside a list."""
    from gridopt.scenario.load import read_merged
    from gridopt.sweep import plan_sweep
    from gridopt.sweep.paths import synthetic_weather_paths

    if not isinstance(n, int) or n < 1:
        raise InputError(
            Problem(
                "--weather-years",
                "must be a whole number of at least 1",
                n,
                "e.g. --weather-years 5",
            )
        )
    merged, _ = read_merged(Path(scenario))
    paths = synthetic_weather_paths(merged)
    if not paths:
        raise InputError(
            Problem(
                "--weather-years",
                f"{scenario} has no generator with synthetic weather, so there are no weather years",
                n,
                "use wind/solar generators with weather: synthetic, or leave out --weather-years",
            )
        )
    listed = [p for p in paths if any(isinstance(k, int) for k in p)]
    if listed:
        raise InputError(
            Problem(
                "--weather-years",
                "a synthetic-weather generator inside a list cannot be given another seed",
                ".".join(map(str, listed[0])),
                "name the series in a mapping, or leave out --weather-years",
            )
        )
    plan = plan_sweep(scenario, weather_years=n, hours=hours)
    return list(plan.weather_years), plan.base_weather_year


def _weather_scenario(scenario: Path, seed: int, folder: Path) -> Path:
    """A scenario file in ``folder`` that extends ``scenario`` and sets the seed of each of its
    synthetic-weather generators to ``seed``."""
    from gridopt.scenario.load import read_merged
    from gridopt.sweep.paths import set_path, synthetic_weather_paths

    merged, _ = read_merged(scenario)
    override: dict[str, Any] = {"extends": str(scenario.resolve())}
    for p in synthetic_weather_paths(merged):
        set_path(override, tuple(p) + ("seed",), int(seed))
    path = folder / f"{scenario.stem}_weather_{seed}.yaml"
    path.write_text(yaml.safe_dump(override, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _year_entry(seed: int, study_dict: dict, name: str) -> dict[str, Any]:
    t = next(x for x in study_dict["tenants"] if x["name"] == name)
    return {
        "seed": int(seed),
        "value": t[headline_key(t)],
        OFFER: t.get(OFFER),
        SHORT_RUN: t[SHORT_RUN],
        "green_share": t["green_share"],
        "fits": t.get("fits"),
        "scenario_sha256": study_dict.get("scenario_sha256"),
        "inputs_sha256": study_dict.get("inputs_sha256"),
    }


def run_weather_years(
    scenario: str | Path,
    profiles: Sequence[str],
    seeds: Sequence[int],
    *,
    base_seed: int | None = None,
    study: Any = None,
    progress: Progress = lambda s: None,
    **tenant_options: Any,
) -> dict[str, Any]:
    """The tenant study of ``profiles`` for each weather year (seed) and each tenant's band:
    the ``weather_years`` block of ``tenant.json``. ``study`` (the study of the scenario as it
    is, a :class:`TenantStudy`) is reused for ``base_seed`` when that is one of ``seeds``;
    ``tenant_options`` go to :func:`gridopt.tenant.evaluate_scenario` (bus, flex_band,
    window_h, hours, solver_options)."""
    from gridopt.tenant import evaluate_scenario

    scenario = Path(scenario)
    per_seed: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="gridopt-weather-") as tmp:
        for k, seed in enumerate(seeds, start=1):
            if study is not None and seed == base_seed:
                say(progress, "tenant_weather_year_as_is", k=k, n=len(seeds), seed=seed)
                per_seed[seed] = study.to_dict()
                continue
            say(progress, "tenant_weather_year", k=k, n=len(seeds), seed=seed)
            path = _weather_scenario(scenario, seed, Path(tmp))
            year = evaluate_scenario(
                path,
                profiles,
                progress=Prefixed(
                    progress,
                    lambda lang, s, seed=seed: TEXTS[lang]["tenant_seed_prefix"].format(
                        seed=seed, text=s
                    ),
                ),
                **tenant_options,
            )
            per_seed[seed] = year.to_dict()
    return weather_years_block(per_seed, seeds)


def weather_years_block(per_seed: dict[int, dict], seeds: Sequence[int]) -> dict[str, Any]:
    """The ``weather_years`` block of ``tenant.json`` from the ``tenant.json`` content of each
    weather year (seed -> dict): per tenant, each year's figures and the band of its headline
    figure (:func:`band`). Raises :class:`GridoptError` if the headline is an offer price in
    some years and a short-run price in others (never one band of both)."""
    names = [t["name"] for t in per_seed[seeds[0]]["tenants"]]
    tenants = {}
    for name in names:
        years = [_year_entry(s, per_seed[s], name) for s in seeds]
        kinds = {OFFER if y[OFFER] is not None else SHORT_RUN for y in years}
        if len(kinds) > 1:
            raise GridoptError(
                f"tenant {name}: the offer price exists in some weather years only; no band"
            )
        tenants[name] = {
            "figure": kinds.pop(),
            "per_year": years,
            **band([y["value"] for y in years]),
        }
    return {
        "n": len(seeds),
        "seeds": [int(s) for s in seeds],
        "quantiles": list(QUANTILES),
        "quantile_method": "numpy linear interpolation",
        "tenants": tenants,
    }


def add_weather_years(
    study: Any,
    scenario: str | Path,
    profiles: Sequence[str],
    seeds: tuple[list[int], int | None],
    *,
    progress: Progress = lambda s: None,
    **tenant_options: Any,
) -> dict[str, Any]:
    """Run the weather years (``seeds``: from :func:`weather_year_seeds`) of the tenant study
    ``study`` and put their block into its header (``tenant.json``: ``weather_years``);
    returns the block."""
    years, base_seed = seeds
    block = run_weather_years(
        scenario,
        profiles,
        years,
        base_seed=base_seed,
        study=study,
        progress=progress,
        **tenant_options,
    )
    study.header["weather_years"] = block
    return block
