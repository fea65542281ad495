"""The scenario schema: strict pydantic models, one per section of a scenario file.

Every field carries its unit in its name. Unknown keys are errors. The field docstrings are the
reference documentation of the scenario format (``docs/scenario.md`` is written from them).

An hourly series field (``Series``) accepts:
- a number: the same value every hour;
- a list of numbers: one per hour of the horizon;
- ``{csv: path, column: name, scale: 1.0}``: a column of a CSV file, one row per hour;
- ``{generator: name, ...params}``: a named generator from :mod:`gridopt.data`.

Every number must be finite (``.inf`` and ``.nan`` are errors) and within a generous physical
range for its unit (the ``MAX_*`` constants below): a value outside it is a typing slip, not a
plan, and would otherwise solve to an "Optimal" nonsense.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from gridopt.scenario.fields import (
    MAX_CNY,
    MAX_CNY_PER_KW,
    MAX_CNY_PER_MWH,
    MAX_CNY_PER_T,
    MAX_MW,
    MAX_MWH,
    CnyPerKW,
    CnyPerKWh,
    CnyPerMWh,
    CnyPerT,
    CsvSeries,
    Economics,
    Efficiency,
    EnergyMWh,
    Fraction,
    GeneratorSeries,
    PosPowerMW,
    PowerMW,
    Series,
    Strict,
)

__all__ = [  # the building blocks live in gridopt.scenario.fields; still importable from here
    "MAX_CNY",
    "MAX_CNY_PER_KW",
    "MAX_CNY_PER_MWH",
    "MAX_CNY_PER_T",
    "MAX_MW",
    "MAX_MWH",
    "CnyPerKW",
    "CnyPerKWh",
    "CnyPerMWh",
    "CnyPerT",
    "CsvSeries",
    "Economics",
    "Efficiency",
    "EnergyMWh",
    "Fraction",
    "GeneratorSeries",
    "PosPowerMW",
    "PowerMW",
    "Series",
    "Strict",
]


class Tariffs(Strict):
    """Charges on top of the energy price for an industrial customer, and the comparisons."""

    network_charge_cny_per_kwh: CnyPerKWh = 0.0693
    """Transmission and distribution energy charge, 220 kV and above (Gansu tariff notice 2026,
    unverified) [CNY/kWh]."""
    funds_cny_per_kwh: CnyPerKWh = 0.0229
    """Government funds and surcharges (Gansu tariff notice 2026, unverified) [CNY/kWh]."""
    benchmark_cny_per_kwh: CnyPerKWh = 0.3078
    """Gansu coal benchmark price (NDRC; Gansu 2025 notice on Document 136) [CNY/kWh]."""
    provincial_tariff_cny_per_kwh: CnyPerKWh = 0.40
    """What a large industrial customer would pay on the provincial grid, all in; assumption:
    benchmark 0.3078 + network 0.0693 + funds 0.0229 [CNY/kWh]."""


class TimeSpec(Strict):
    start: str = "2025-01-01 00:00"
    """First hour of the horizon, local clock time (``YYYY-MM-DD HH:MM``, on the hour). In a
    zone with daylight saving time every time is the zone's standard time all year (see
    ``timezone``)."""
    hours: Annotated[int, Field(ge=1, le=8784)] = 8760
    """Number of hourly steps (a full year by default)."""
    timezone: str = "Asia/Shanghai"
    """IANA time zone of the timestamps. In a zone with daylight saving time (Europe/Berlin)
    the hours are laid out in its standard time (UTC+01:00) all year, so that every hour
    exists once; prices.csv and the results say so."""

    @field_validator("start", mode="before")
    @classmethod
    def _start_from_yaml_date(cls, v: object) -> object:
        """YAML reads ``2025-01-01`` as a date and ``2025-01-01 00:00:00`` as a date-time."""
        if isinstance(v, dt.datetime):
            return f"{v:%Y-%m-%d %H:%M}" + (f"{v:%z}" if v.tzinfo else "")
        if isinstance(v, dt.date):
            return f"{v:%Y-%m-%d} 00:00"
        return v

    @field_validator("start")
    @classmethod
    def _start_is_an_hour(cls, v: str) -> str:
        try:
            t = dt.datetime.fromisoformat(v.strip())
        except ValueError:
            raise ValueError("not a timestamp: write it as YYYY-MM-DD HH:MM") from None
        if t.tzinfo is not None:
            raise ValueError(
                "has a UTC offset: write the local clock time without it (the zone is "
                "time.timezone)"
            )
        if (t.minute, t.second, t.microsecond) != (0, 0, 0):
            raise ValueError("must be on the hour (HH:00)")
        if not 1900 <= t.year <= 2200:
            raise ValueError("year must be from 1900 to 2200")
        return v

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        zones = iana_zones()
        if v in zones:
            return v
        close = next((z for z in sorted(zones) if z.lower() == v.strip().lower()), None)
        hint = f"did you mean {close}? " if close else ""
        raise ValueError(f"unknown time zone: {hint}use an IANA name such as Asia/Shanghai")


@functools.cache
def iana_zones() -> frozenset[str]:
    """Names of the IANA time zones known to this Python (the tzdata package)."""
    return frozenset(zoneinfo.available_timezones())


class Settings(Strict):
    voll_cny_per_mwh: Annotated[float, Field(gt=0, le=MAX_CNY_PER_MWH)] = 30000.0
    """Value of lost load: cost of each MWh of unserved energy [CNY/MWh]."""
    excess_penalty_cny_per_mwh: CnyPerMWh = 30000.0
    """Cost of energy dumped when must-run output or fixed schedules exceed what the grid can
    use (a slack that keeps the model feasible; any use is reported) [CNY/MWh]."""
    carbon_price_cny_per_t: CnyPerT = 0.0
    """Carbon price applied to thermal CO2 emissions [CNY/t CO2]."""
    discount_rate: Annotated[float, Field(ge=0, lt=1)] = 0.06
    """Real discount rate for annualising investment (DOMAIN.md, assumption) [1/yr]."""
    power_flow: Literal["auto", "transport", "dc"] = "auto"
    """``transport``: lines are capacity limits only. ``dc``: linearised DC power flow
    (Kirchhoff's voltage law around every cycle; every line needs ``x_ohm`` or ``x_pu``).
    ``auto``: ``dc`` when every line has a reactance, else ``transport``."""


class SolverSpec(Strict):
    options: dict[str, str | int | float | bool] = {}
    """HiGHS options passed through (``threads``, ``time_limit``, ``solver`` …)."""


class SiteSpec(Strict):
    latitude_deg: Annotated[float, Field(ge=-90, le=90)]
    longitude_deg: Annotated[float, Field(ge=-180, le=180)]
    altitude_m: Annotated[float, Field(ge=-500, le=9000)] = 0.0
    source: str = ""
    """Where the coordinates come from."""


class Fuel(Strict):
    price_cny_per_t: CnyPerT
    """Delivered fuel price per tonne at the stated heat value [CNY/t]."""
    heat_value_kcal_per_kg: Annotated[float, Field(gt=0, le=15000)] = 5500.0
    """Lower heat value the price refers to [kcal/kg]; standard coal is 7000 kcal/kg."""
    co2_t_per_tce: Annotated[float, Field(ge=0, le=10)] = 2.66
    """CO2 per tonne of standard coal equivalent burnt [t CO2/tce]."""


class Bus(Strict):
    description: str = ""
    v_kv: Annotated[float, Field(gt=0, le=2000)] | None = None
    """Nominal voltage [kV] (documentation only)."""


class Line(Strict):
    bus0: str
    bus1: str
    p_max_mw: PosPowerMW
    """Transfer limit from bus0 to bus1 [MW]."""
    p_max_reverse_mw: PosPowerMW | None = None
    """Transfer limit from bus1 to bus0 [MW]; defaults to ``p_max_mw``."""
    loss_factor: Annotated[float, Field(ge=0, lt=1)] = 0.0
    """Share of the sent power lost on the way [-]."""
    x_ohm: Annotated[float, Field(gt=0, le=1e5)] | None = None
    """Series reactance [ohm], for a line whose two buses have the same ``v_kv``; converted to
    per unit on a 100 MVA base. DC power flow needs ``x_ohm`` or ``x_pu`` on every line."""
    x_pu: Annotated[float, Field(gt=0, le=1e3)] | None = None
    """Series reactance in per unit on a 100 MVA base [-] (lines through transformers, or
    buses without ``v_kv``)."""
    economics: Economics = Economics()
    """Investment and fixed costs (defaults by technology)."""
    description: str = ""


class Thermal(Strict):
    bus: str
    fuel: str
    """Key of the ``fuels`` section."""
    n_units: Annotated[int, Field(ge=0, le=10000)] = 1
    """Number of identical units in the cluster (0: none built, e.g. one case of a sweep)."""
    p_unit_mw: PosPowerMW
    """Rated output of one unit [MW]."""
    min_stable_fraction: Fraction = 0.0
    """Minimum stable output as a share of committed capacity [-]."""
    ramp_up_fraction_per_h: Annotated[float, Field(gt=0, le=1)] | None = None
    """Largest output increase in one hour, as a share of cluster capacity [1/h]; none: no limit."""
    ramp_down_fraction_per_h: Annotated[float, Field(gt=0, le=1)] | None = None
    """Largest output decrease in one hour, as a share of cluster capacity [1/h]; none: no limit."""
    heat_rate_gce_per_kwh: Annotated[float, Field(gt=0, le=2000)]
    """Fuel use in grams of standard coal equivalent per kWh sent out [gce/kWh]."""
    vom_cny_per_mwh: CnyPerMWh = 0.0
    """Variable operation and maintenance cost [CNY/MWh]."""
    co2_t_per_mwh: Annotated[float, Field(ge=0, le=10)] | None = None
    """CO2 intensity [t/MWh]; default: heat rate x the fuel's ``co2_t_per_tce``."""
    startup_cost_cny_per_mw: CnyPerKW = 0.0
    """Cost of starting up one MW of capacity [CNY/MW]."""
    must_run_mw: Series | None = None
    """Minimum output each hour, e.g. for winter heat supply [MW]."""
    availability: Series | None = None
    """Share of capacity available each hour (outages, derates) [-]; default 1."""
    economics: Economics = Economics()
    """Investment and fixed costs (defaults by technology)."""
    description: str = ""


class Renewable(Strict):
    bus: str
    carrier: Literal["wind", "solar", "hydro", "other"]
    p_nom_mw: PowerMW
    """Installed capacity [MW]."""
    availability: Series
    """Available output per MW installed, each hour [-], in [0, 1]."""
    vom_cny_per_mwh: CnyPerMWh = 0.0
    """Variable cost [CNY/MWh]."""
    economics: Economics = Economics()
    """Investment and fixed costs (defaults by technology)."""
    description: str = ""


class Storage(Strict):
    bus: str
    kind: Literal["battery", "pumped_hydro", "other"] = "battery"
    p_charge_max_mw: PowerMW
    """Largest charging power [MW] (0 with ``e_max_mwh: 0``: none built)."""
    p_discharge_max_mw: PowerMW | None = None
    """Largest discharging power [MW]; defaults to the charging power."""
    e_max_mwh: EnergyMWh
    """Energy capacity [MWh] (0: no storage, e.g. one case of a sweep; it then neither charges
    nor discharges, and its default capital cost is zero)."""
    eff_charge: Efficiency = 0.95
    """Charging efficiency [-]."""
    eff_discharge: Efficiency = 0.95
    """Discharging efficiency [-]."""
    standing_loss_per_h: Annotated[float, Field(ge=0, lt=1)] = 0.0
    """Share of the stored energy lost each hour [1/h]."""
    soc_min_fraction: Fraction = 0.0
    """Lowest state of charge as a share of energy capacity [-]."""
    soc_max_fraction: Fraction = 1.0
    """Highest state of charge as a share of energy capacity [-]."""
    soc_initial_fraction: Fraction | None = 0.5
    """State of charge before the first hour [-]; ``null``: free, equal to the final state."""
    cyclic: bool = True
    """The state of charge at the end equals the initial one."""
    vom_cny_per_mwh: CnyPerMWh = 0.0
    """Cost per MWh discharged [CNY/MWh]."""
    economics: Economics = Economics()
    """Investment and fixed costs (defaults by technology)."""
    description: str = ""

    @model_validator(mode="after")
    def _soc_order(self) -> Storage:
        if self.soc_min_fraction > self.soc_max_fraction:
            raise ValueError("soc_min_fraction must not exceed soc_max_fraction")
        s0 = self.soc_initial_fraction
        if s0 is not None and not (self.soc_min_fraction <= s0 <= self.soc_max_fraction):
            raise ValueError(
                "soc_initial_fraction must lie between soc_min_fraction and soc_max_fraction"
            )
        return self


class Load(Strict):
    bus: str
    p_mw: Series
    """Demand each hour [MW]."""
    description: str = ""


class FlexibleLoad(Strict):
    bus: str
    p_nominal_mw: Series
    """Nominal (planned) consumption each hour [MW]."""
    band_down_fraction: Fraction = 0.2
    """Largest reduction below nominal, as a share of nominal [-]."""
    band_up_fraction: Annotated[float, Field(ge=0, le=10)] = 0.1
    """Largest increase above nominal, as a share of nominal [-]."""
    window_h: Annotated[int, Field(ge=1, le=8784)] = 24
    """Energy over each window of this many hours (from the start of the horizon) equals the
    nominal energy, so production is kept [h]."""
    ramp_fraction_per_h: Annotated[float, Field(gt=0, le=10)] | None = None
    """Largest change from one hour to the next, as a share of the peak nominal power [1/h]."""
    shift_cost_cny_per_mwh: CnyPerMWh = 0.0
    """Cost of each MWh consumed below nominal (and made up later) [CNY/MWh]."""
    description: str = ""


class InterruptibleLoad(Strict):
    bus: str
    p_mw: Series
    """Demand each hour [MW]."""
    cost_cny_per_mwh: CnyPerMWh
    """Compensation paid per MWh interrupted [CNY/MWh]."""
    max_fraction: Fraction = 1.0
    """Largest share of the hour's demand that may be interrupted [-]."""
    max_energy_mwh: EnergyMWh | None = None
    """Cap on interrupted energy over the horizon [MWh]; none: no cap."""
    description: str = ""


class Tie(Strict):
    bus: str
    import_max_mw: PowerMW
    export_max_mw: PowerMW
    import_price_cny_per_mwh: Series
    """Price paid for each MWh imported [CNY/MWh]."""
    export_price_cny_per_mwh: Series
    """Price received for each MWh exported [CNY/MWh]; must not exceed the import price."""
    description: str = ""


class Scenario(Strict):
    name: str
    description: str = ""
    time: TimeSpec = TimeSpec()
    settings: Settings = Settings()
    tariffs: Tariffs = Tariffs()
    solver: SolverSpec = SolverSpec()
    sites: dict[str, SiteSpec] = {}
    fuels: dict[str, Fuel] = {}
    buses: Annotated[dict[str, Bus], Field(min_length=1)]
    lines: dict[str, Line] = {}
    thermal: dict[str, Thermal] = {}
    renewables: dict[str, Renewable] = {}
    storage: dict[str, Storage] = {}
    loads: dict[str, Load] = {}
    flexible_loads: dict[str, FlexibleLoad] = {}
    interruptible_loads: dict[str, InterruptibleLoad] = {}
    ties: dict[str, Tie] = {}


# Families of assets connected to a bus: section name -> schema class.
ASSET_SECTIONS: dict[str, type[Strict]] = {
    "thermal": Thermal,
    "renewables": Renewable,
    "storage": Storage,
    "loads": Load,
    "flexible_loads": FlexibleLoad,
    "interruptible_loads": InterruptibleLoad,
    "ties": Tie,
}
