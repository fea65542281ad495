"""Cross-reference checks a schema cannot express, one ``check_*`` function per rule.

Each returns a list of :class:`Problem` naming the file, the field path, the value and the fix.
"""

from __future__ import annotations

from gridopt.errors import Problem
from gridopt.scenario.load import LoadedScenario
from gridopt.scenario.schema import ASSET_SECTIONS, GeneratorSeries


def check_buses(ls: LoadedScenario) -> list[Problem]:
    """Every asset's bus and every line end names a bus of the ``buses`` section."""
    sc, out = ls.scenario, []
    buses = set(sc.buses)
    valid = ", ".join(sorted(buses))
    for section in ASSET_SECTIONS:
        for name, asset in getattr(sc, section).items():
            if asset.bus not in buses:
                out.append(
                    Problem(
                        f"{ls.path}: {section}.{name}.bus",
                        "unknown bus",
                        asset.bus,
                        f"use one of: {valid}",
                    )
                )
    for name, line in sc.lines.items():
        for end in ("bus0", "bus1"):
            if getattr(line, end) not in buses:
                out.append(
                    Problem(
                        f"{ls.path}: lines.{name}.{end}",
                        "unknown bus",
                        getattr(line, end),
                        f"use one of: {valid}",
                    )
                )
        if line.bus0 == line.bus1:
            out.append(
                Problem(
                    f"{ls.path}: lines.{name}", "a line must join two different buses", line.bus0
                )
            )
    return out


def check_unique_names(ls: LoadedScenario) -> list[Problem]:
    """Line and asset names are unique across sections (results and price setters name them)."""
    seen: dict[str, str] = {}
    out = []
    for section in ("lines", *ASSET_SECTIONS):
        for name in getattr(ls.scenario, section):
            if name in seen:
                out.append(
                    Problem(
                        f"{ls.path}: {section}.{name}",
                        f"name already used in {seen[name]}",
                        name,
                        "give it a unique name",
                    )
                )
            seen.setdefault(name, section)
    return out


def check_fuels(ls: LoadedScenario) -> list[Problem]:
    """Every thermal unit's fuel is defined in ``fuels``."""
    sc = ls.scenario
    fix = (
        f"use one of: {', '.join(sorted(sc.fuels))}"
        if sc.fuels
        else "no fuels are defined: add a fuels section"
    )
    return [
        Problem(f"{ls.path}: thermal.{n}.fuel", "unknown fuel", t.fuel, fix)
        for n, t in sc.thermal.items()
        if t.fuel not in sc.fuels
    ]


def check_sites(ls: LoadedScenario) -> list[Problem]:
    """Generators that name a ``site`` refer to one in the ``sites`` section."""
    sc, out = ls.scenario, []
    fix = (
        f"use one of: {', '.join(sorted(sc.sites))}"
        if sc.sites
        else "no sites are defined: add a sites section"
    )
    for section in ASSET_SECTIONS:
        for name, asset in getattr(sc, section).items():
            for field in type(asset).model_fields:
                spec = getattr(asset, field)
                if isinstance(spec, GeneratorSeries):
                    site = spec.params().get("site")
                    if site is not None and site not in sc.sites:
                        out.append(
                            Problem(
                                f"{ls.path}: {section}.{name}.{field}.site",
                                "unknown site",
                                site,
                                fix,
                            )
                        )
    return out


def check_reactances(ls: LoadedScenario) -> list[Problem]:
    """DC power flow needs a reactance on every line; ``x_ohm`` needs one voltage at both ends."""
    sc, out = ls.scenario, []
    for n, line in sc.lines.items():
        where = f"{ls.path}: lines.{n}"
        if line.x_ohm is not None and line.x_pu is not None:
            out.append(Problem(f"{where}.x_ohm", "give x_ohm or x_pu, not both", line.x_ohm))
        elif line.x_ohm is not None and line.bus0 in sc.buses and line.bus1 in sc.buses:
            v0, v1 = sc.buses[line.bus0].v_kv, sc.buses[line.bus1].v_kv
            if v0 is None or v0 != v1:
                out.append(
                    Problem(
                        f"{where}.x_ohm",
                        f"x_ohm needs both buses at one voltage (v_kv {v0} and {v1})",
                        line.x_ohm,
                        "give x_pu on a 100 MVA base instead, or set v_kv on both buses",
                    )
                )
        elif line.x_ohm is None and line.x_pu is None and sc.settings.power_flow == "dc":
            out.append(
                Problem(
                    f"{where}.x_pu",
                    "settings.power_flow is 'dc' but this line has no reactance",
                    None,
                    "give x_pu (or x_ohm) or use power_flow: transport",
                )
            )
    return out


def check_time(ls: LoadedScenario) -> list[Problem]:
    """The start timestamp parses and the time zone exists."""
    import pandas as pd

    t = ls.scenario.time
    out = []
    try:
        pd.Timestamp(t.start)
    except (ValueError, TypeError):
        out.append(
            Problem(
                f"{ls.path}: time.start", "not a timestamp", t.start, "write it as YYYY-MM-DD HH:MM"
            )
        )
    try:
        pd.Timestamp("2025-01-01").tz_localize(t.timezone)
    except Exception:
        out.append(
            Problem(
                f"{ls.path}: time.timezone",
                "unknown time zone",
                t.timezone,
                "use an IANA name such as Asia/Shanghai",
            )
        )
    return out


CHECKS = (check_time, check_buses, check_unique_names, check_fuels, check_sites, check_reactances)


def check_scenario(ls: LoadedScenario) -> list[Problem]:
    """Run every cross-reference check and return all problems found."""
    return [p for check in CHECKS for p in check(ls)]
