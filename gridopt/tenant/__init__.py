r"""Tenant evaluation (用户评估, 招商引资): what a prospective factory would pay, how much otherwise
curtailed wind and PV it would use (消纳), and what its arrival changes for the grid.

Pipeline: scenario -> input Dataset -> base model built and solved once (the HiGHS instance is
kept) -> for each tenant, the case with its load added at its bus, re-solved warm from the
base basis -> figures. A fixed tenant raises the right-hand side of its bus's ``bus_balance``
rows; a flexible tenant adds one column per hour (its deviation from the profile) and one
row per window (energy kept) to the same HiGHS instance, which are removed again afterwards.
``method="rebuild"`` instead adds the tenant to the input Dataset (a fixed load, or a
flexible load like ``flexible_loads`` in the scenario) and builds and solves a new model: the
same LP, used to cross-check the warm path and to time it.

One module per step: :mod:`~gridopt.tenant.profiles` (the PROFILE syntax and the hourly
profile), :mod:`~gridopt.tenant.tenants` (a tenant and the input Dataset with it),
:mod:`~gridopt.tenant.warm` (solving one tenant at each band, warm or rebuilt),
:mod:`~gridopt.tenant.longrun` (the base cases; the plan with the tenant: long-run cost),
:mod:`~gridopt.tenant.hosting` (the load-hosting curve),
:mod:`~gridopt.tenant.figures` (the figures below), :mod:`~gridopt.tenant.study` (the base
case, every tenant, the ranking), :mod:`~gridopt.tenant.tables` (the DataFrame and the printed
table, with their zh/en labels) and :mod:`~gridopt.tenant.write` (the files). This package
re-exports their public names.

Nomenclature (every step is one hour, so MW summed over the hours is MWh)
-------------------------------------------------------------------------
t          hour of the horizon, H hours in all; b the tenant's bus
N_t        tenant profile [MW]
beta       flexibility band [-]; window_h the energy window [h]
x_t        tenant consumption in the solved case [MW]:
           (1 - beta) N_t <= x_t <= (1 + beta) N_t, and sum_{t in w} x_t = sum_{t in w} N_t for
           each window w of window_h consecutive hours from the start (the last may be shorter);
           beta = 0 gives x = N (a fixed tenant)
E          tenant energy = sum_t x_t = sum_t N_t [MWh]
C0, C1     total system cost = objective without / with the tenant: fuel, VOM, carbon, start-ups,
           imports minus exports, flexible-load shift, interruption, and the slack penalties
           (unserved energy at VOLL, dumped excess) [CNY]; without the tie-break cost on lossy
           line flows, which nobody pays (:func:`operating_cost_cny`)
C0p, C1p   the same for the plan (expansion options): + the horizon's share of the annual cost
           of new capacity (annuity + fixed O&M) - the fixed O&M retirements save [CNY]
l0, l1     marginal price at bus b (dual of its energy balance) without / with the tenant [CNY/MWh]
R0_t, R1_t renewable output used, all plants [MW]; K0, K1 curtailment [MWh]

Figures (keys of ``tenant.json``)
---------------------------------
short_run_incremental_cost_cny_per_mwh  SRIC = (C1 - C0) / E on the dispatch of the scenario as
                                      it is: the fleet fixed, its capital sunk. The lowest energy
                                      price that leaves every other user whole in the short run;
                                      it recovers no capital and is not an offer price.
marginal_weighted_price_cny_per_mwh   MWP = sum_t l1_t x_t / E: what the tenant would pay at the
                                      with-tenant marginal prices of its bus
                                      (``..._base_cny_per_mwh``: the same with l0).
short_run_price_cny_per_kwh           SRIC / 1000 + network charge + funds [CNY/kWh]
                                      (``marginal_weighted_price_with_charges_cny_per_kwh``: MWP
                                      instead of SRIC).
long_run_incremental_cost_cny_per_mwh LRIC = (C1p - C0p) / E on the plan (expansion options only,
                                      ``mode: "plan"``; else null): the plan re-solved with the
                                      tenant, new capital and fixed O&M included
                                      (:mod:`gridopt.tenant.longrun`).
offer_price_cny_per_kwh               LRIC / 1000 + network charge + funds [CNY/kWh], next to
                                      the coal benchmark and the provincial tariff; with
                                      ``build_for_tenant`` (what the plan builds for the tenant).
absorbed_curtailment_mwh              A = K0 - K1: curtailment avoided because of the tenant.
green_share                           G = sum_t min(x_t, max(R1_t - R0_t, 0)) / E: in each hour,
                                      the share of the tenant's consumption met by renewable
                                      output that would otherwise have been curtailed (matched
                                      hour by hour, never across hours), energy-weighted.
green_share_grid_mix                  sum_t x_t s_t / E with s_t = R1_t / (R1_t + thermal_t +
                                      import_t): the hour's renewable share of supply (attributional).
unserved_energy_mwh, fits             U = unserved(with) - unserved(base) [MWh]; fits = U <= tol.
flexibility_curve                     SRIC at bands 0, 5, 10, 20 % (and the tenant's own band);
                                      ``long_run_flexibility_curve``: LRIC at the same bands
                                      (plan mode: the storage a flexible tenant avoids is in it).
hosting                               the load-hosting curve (:mod:`gridopt.tenant.hosting`).

Flexibility never raises the incremental cost (short or long run): the LP at a wider band contains every solution
of a narrower one (x stays feasible: the bands are nested and the window energies equal), the
bands are solved from narrow to wide, each warm from the previous optimum, and a reported
cost is the smallest found at that band or any narrower one (a narrower optimum is a feasible
point of the wider LP, so this only removes solver tolerance noise).
"""

from gridopt.results import operating_cost_cny
from gridopt.tenant.figures import KWH_PER_MWH, figures
from gridopt.tenant.profiles import (
    FILE_KEYS,
    FILE_SUFFIXES,
    LIBRARY,
    SYNTAX,
    TENANT_KEYS,
    FlatParams,
    ProfileSpec,
    parse_profile_spec,
    profile_mw,
)
from gridopt.tenant.study import (
    FLEX_BANDS,
    STABLE_KEYS,
    TenantResult,
    TenantStudy,
    evaluate,
    evaluate_scenario,
)
from gridopt.tenant.tables import FRAME_COLUMNS, LABELS, TABLE_COLUMNS, format_table, tenant_frame
from gridopt.tenant.tenants import (
    DEFAULT_WINDOW_H,
    NON_INDUSTRIAL,
    Tenant,
    default_bus,
    windows,
    with_fixed_load,
    with_flexible_load,
)
from gridopt.tenant.write import write_base_results, write_outputs, write_study

__all__ = [
    "DEFAULT_WINDOW_H",
    "FILE_KEYS",
    "FILE_SUFFIXES",
    "FLEX_BANDS",
    "FRAME_COLUMNS",
    "KWH_PER_MWH",
    "LABELS",
    "LIBRARY",
    "NON_INDUSTRIAL",
    "STABLE_KEYS",
    "SYNTAX",
    "TABLE_COLUMNS",
    "TENANT_KEYS",
    "FlatParams",
    "ProfileSpec",
    "Tenant",
    "TenantResult",
    "TenantStudy",
    "default_bus",
    "evaluate",
    "evaluate_scenario",
    "figures",
    "format_table",
    "operating_cost_cny",
    "parse_profile_spec",
    "profile_mw",
    "tenant_frame",
    "windows",
    "with_fixed_load",
    "with_flexible_load",
    "write_base_results",
    "write_outputs",
    "write_study",
]
