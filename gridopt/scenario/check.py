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


CHECKS = (check_buses, check_unique_names, check_fuels, check_sites, check_reactances)
"""The checks on the validated scenario (the time section is checked by the schema)."""


def check_scenario(ls: LoadedScenario) -> list[Problem]:
    """Run every cross-reference check and return all problems found."""
    return [p for check in CHECKS for p in check(ls)]


def check_supply(ls: LoadedScenario, ds) -> list[Problem]:
    """Every bus with load can be supplied: some generator, store or tie with a non-zero size
    sits at it or at a bus joined to it by lines. Otherwise all its load would be unserved.

    ``ds`` is the resolved input Dataset (a load counts when its series is above zero in some
    hour)."""
    import numpy as np

    buses = [str(b) for b in ds["bus"].values]
    parent = {b: b for b in buses}

    def root(b: str) -> str:
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for b0, b1 in zip(ds["line_bus0"].values, ds["line_bus1"].values, strict=True):
        if str(b0) in parent and str(b1) in parent:
            parent[root(str(b0))] = root(str(b1))

    def at(family: str, mask) -> set[str]:
        return {str(b) for b, m in zip(ds[f"{family}_bus"].values, np.atleast_1d(mask)) if m}

    supplied = (
        at("thermal", (ds["thermal_p_nom_mw"] > 0).values)
        | at("renewable", (ds["renewable_p_nom_mw"] > 0).values)
        | at(
            "storage",
            ((ds["storage_e_max_mwh"] > 0) & (ds["storage_p_discharge_max_mw"] > 0)).values,
        )
        | at("tie", (ds["tie_import_max_mw"] > 0).values)
    )
    supplied_roots = {root(b) for b in supplied if b in parent}
    loaded = (
        at("load", (ds["load_p_mw"] > 0).any("time").values)
        | at("flex", (ds["flex_p_nominal_mw"] > 0).any("time").values)
        | at("intr", (ds["intr_p_mw"] > 0).any("time").values)
    )
    return [
        Problem(
            f"{ls.path}: buses.{b}",
            "has load but nothing can supply it: no generator, store or tie at this bus or at "
            "a bus joined to it by lines, so all of its load would be unserved",
            fix="join it to the grid with a line, or add a generator or a tie at it",
        )
        for b in buses
        if b in loaded and root(b) not in supplied_roots
    ]
