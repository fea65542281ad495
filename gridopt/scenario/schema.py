"""The scenario schema: the common sections of a scenario file, and the whole ``Scenario``
assembled from the family declarations.

Each asset section's schema (``thermal.<name>`` …) is declared by its family, next to its
equations (:attr:`gridopt.model.family.Family.entry`); :func:`scenario_model` adds one section
per declared family to the common ones defined here (time, settings, tariffs, solver, sites,
fuels; ``policy``, the planner's constraints, is declared in :mod:`gridopt.model.policy` next to
its equations). The building blocks (unit types, ``Strict``, ``Series``, ``Economics``) are in
:mod:`gridopt.scenario.fields`; both are still importable from here.

Every field carries its unit in its name. Unknown keys are errors. The field docstrings are the
reference documentation of the scenario format (``docs/scenario.md`` is written from them).

An hourly series field (``Series``) accepts:
- a number: the same value every hour;
- a list of numbers: one per hour of the horizon;
- ``{csv: path, column: name, scale: 1.0}``: a column of a CSV file, one row per hour;
- ``{generator: name, ...params}``: a named generator from :mod:`gridopt.data`.

Every number must be finite (``.inf`` and ``.nan`` are errors) and within a generous physical
range for its unit (the ``MAX_*`` constants of :mod:`gridopt.scenario.fields`): a value outside
it is a typing slip, not a plan, and would otherwise solve to an "Optimal" nonsense.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, create_model, field_validator

from gridopt.model import SECTIONS
from gridopt.model.family import Family
from gridopt.model.loads import FlexibleLoad, InterruptibleLoad, Load
from gridopt.model.network import Bus, Line
from gridopt.model.policy import Policy
from gridopt.model.renewables import Renewable
from gridopt.model.storage import Storage
from gridopt.model.thermal import Thermal
from gridopt.model.tie import Tie
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

__all__ = [  # building blocks from gridopt.scenario.fields, entries from gridopt.model
    "ASSET_SECTIONS",
    "Bus",
    "CnyPerKW",
    "CnyPerKWh",
    "CnyPerMWh",
    "CnyPerT",
    "CsvSeries",
    "Economics",
    "Efficiency",
    "EnergyMWh",
    "FlexibleLoad",
    "Fraction",
    "Fuel",
    "GeneratorSeries",
    "InterruptibleLoad",
    "Line",
    "Load",
    "MAX_CNY",
    "MAX_CNY_PER_KW",
    "MAX_CNY_PER_MWH",
    "MAX_CNY_PER_T",
    "MAX_MW",
    "MAX_MWH",
    "Policy",
    "PosPowerMW",
    "PowerMW",
    "Renewable",
    "Scenario",
    "Series",
    "Settings",
    "SiteSpec",
    "SolverSpec",
    "Storage",
    "Strict",
    "Tariffs",
    "Thermal",
    "Tie",
    "TimeSpec",
    "asset_sections",
    "iana_zones",
    "scenario_model",
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


def scenario_model(families: Sequence[Family]) -> type[Strict]:
    """The model of a whole scenario file: the common sections (``name``, ``description``,
    ``time``, ``settings``, ``tariffs``, ``solver``, ``policy``, ``sites``, ``fuels``), then one
    section per family with an entry schema (:attr:`Family.entry`), ``<section>: {name:
    entry}``, in the order of ``families``. The ``buses`` section is required and needs at least one bus; every
    other section is empty by default."""
    sections: dict[str, Any] = {}
    for family in families:
        if family.entry is None:
            continue
        if family.section == "buses":
            sections["buses"] = (Annotated[dict[str, family.entry], Field(min_length=1)], ...)
        else:
            sections[family.section] = (dict[str, family.entry], {})
    return create_model(
        "Scenario",
        __base__=Strict,
        __module__=__name__,
        name=(str, ...),
        description=(str, ""),
        time=(TimeSpec, TimeSpec()),
        settings=(Settings, Settings()),
        tariffs=(Tariffs, Tariffs()),
        solver=(SolverSpec, SolverSpec()),
        policy=(Policy, Policy()),
        sites=(dict[str, SiteSpec], {}),
        fuels=(dict[str, Fuel], {}),
        **sections,
    )


def asset_sections(families: Sequence[Family]) -> dict[str, type[Strict]]:
    """The sections of assets connected to a bus (their entry has a ``bus`` field): section
    name -> entry schema, in the order of ``families``."""
    return {
        f.section: f.entry
        for f in families
        if f.entry is not None and "bus" in f.entry.model_fields
    }


Scenario = scenario_model(SECTIONS)
"""A scenario file, assembled from the family declarations (:data:`gridopt.model.SECTIONS`)."""

ASSET_SECTIONS: dict[str, type[Strict]] = asset_sections(SECTIONS)
"""Families of assets connected to a bus: section name -> schema class."""
