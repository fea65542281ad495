"""Prices from a results Dataset: marginal-price statistics, the cost-recovery price, the
delivered industrial price and its decomposition, and revenue adequacy per asset.

Pure functions on the results Dataset written by ``gridopt run`` (no solver). Every hourly
step is one hour, so a power in MW summed over the steps is an energy in MWh. One module per
job, every name importable from here:

- :mod:`gridopt.prices.basis`: the horizon and the energy delivered to local load;
- :mod:`gridopt.prices.marginal`: statistics of the marginal prices and who sets them;
- :mod:`gridopt.prices.recovery`: annual costs, the cost-recovery and delivered prices and
  the decomposition;
- :mod:`gridopt.prices.adequacy`: revenue adequacy per asset and the market gap;
- :mod:`gridopt.prices.summary`: the price fields of ``summary.json``.

Nomenclature
------------
t          hour of the horizon; H = number of hours
b          bus
p[t, b]    marginal price: dual of the energy balance of bus b in hour t [CNY/MWh]
c[t, b]    consumption of the loads at bus b: fixed + flexible + interruptible served [MW]
E          energy delivered to local load over the horizon, sum over t, b of c[t, b] [MWh]
f          share of a year the horizon covers: f = H / 8760 for H < 8760, else 1 [-]
CRF(r, L)  capital recovery factor r / (1 - (1 + r)^-L) [1/yr] (``gridopt.data.costs.crf``)
A_a        annual fixed cost of asset a: capex_a x CRF(r, L_a) + fixed O&M_a [CNY/yr]
C_op       operating cost of the horizon from :func:`gridopt.results.cost_breakdown`, without
           the slack penalties (unserved and dumped energy) [CNY]

Prices
------
cost-recovery price   P_cr = (f x sum_a A_a + C_op) / E                     [CNY/MWh]
delivered price       P_del = P_cr / 1000 + network charge + funds          [CNY/kWh]
decomposition         P_del = energy + flexibility + capacity + network + levies   [CNY/kWh]

with the cost items assigned to the components as in :data:`COMPONENT_OF`:

- energy: renewables (annuity, fixed O&M, variable O&M), thermal fuel, variable O&M and
  carbon, imports minus exports;
- flexibility (balancing): storage (annuity, fixed O&M, variable O&M), thermal start-ups,
  the shift cost of flexible loads and the compensation paid for interruptions;
- capacity: thermal annuity and fixed O&M (firm capacity kept whether it runs or not);
- network: the local lines (annuity and fixed O&M) and the network (T&D) charge;
- levies: government funds and surcharges.

The slack penalties (value of lost load, excess penalty) are not cash costs and are left out
of every price; :func:`cost_recovery` reports them, and any unserved energy makes the prices a
lower bound of what supplying all the load would cost.
"""

from gridopt.data.clock import HOURS_PER_YEAR
from gridopt.io import json_safe
from gridopt.prices.adequacy import line_rent, market_gap, revenue_adequacy
from gridopt.prices.basis import (
    KWH_PER_MWH,
    consumers,
    energy_delivered_mwh,
    hours,
    prorating_note,
    year_fraction,
)
from gridopt.prices.marginal import (
    TOU_PERIODS,
    average_marginal_price,
    duration_curve,
    load_prices,
    price_statistics,
    setter_shares,
    setter_technology,
    tou_periods,
    tou_prices,
)
from gridopt.prices.recovery import (
    COMPONENT_OF,
    COMPONENTS,
    CUSTOMER_LOAD_MW,
    FAMILIES,
    SLACK_ITEMS,
    CostRecovery,
    asset_fixed_costs,
    cost_items,
    cost_recovery,
    cost_table,
    decomposition,
    delivered_price,
)
from gridopt.prices.summary import summary_fields

__all__ = [
    "COMPONENTS",
    "COMPONENT_OF",
    "CUSTOMER_LOAD_MW",
    "FAMILIES",
    "HOURS_PER_YEAR",
    "KWH_PER_MWH",
    "SLACK_ITEMS",
    "TOU_PERIODS",
    "CostRecovery",
    "asset_fixed_costs",
    "average_marginal_price",
    "consumers",
    "cost_items",
    "cost_recovery",
    "cost_table",
    "decomposition",
    "delivered_price",
    "duration_curve",
    "energy_delivered_mwh",
    "hours",
    "json_safe",
    "line_rent",
    "load_prices",
    "market_gap",
    "price_statistics",
    "prorating_note",
    "revenue_adequacy",
    "setter_shares",
    "setter_technology",
    "summary_fields",
    "tou_periods",
    "tou_prices",
    "year_fraction",
]
