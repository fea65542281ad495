"""Cross-reference checks a schema cannot express, one ``check_*`` function per rule.

The references between sections (an asset's bus, a thermal cluster's fuel) are those the
families declare (:attr:`gridopt.model.family.Family.references`), checked by one function.
Each check returns a list of :class:`Problem` naming the file, the field path, the value and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence

from gridopt.errors import Problem
from gridopt.model import INPUTS, SECTIONS
from gridopt.model.family import Family
from gridopt.scenario.load import LoadedScenario
from gridopt.scenario.schema import GeneratorSeries, asset_sections


def _singular(section: str) -> str:
    """What one entry of a section is called in a message: ``buses`` -> bus, ``fuels`` -> fuel."""
    return section[:-2] if section.endswith("ses") else section.removesuffix("s")


def reference_problems(
    ls: LoadedScenario, target: str, families: Sequence[Family] | None = None
) -> list[Problem]:
    """Every field that a family declares as naming an entry of section ``target``
    (:attr:`Family.references`: an asset's ``bus``, a line's ``bus0`` and ``bus1``, a thermal
    cluster's ``fuel``) names one. The assets (entries with a bus) come first, then the other
    sections (lines), each in the order of ``families`` (default: :data:`gridopt.model.SECTIONS`)."""
    families = SECTIONS if families is None else families
    sc, out = ls.scenario, []
    known = getattr(sc, target)
    what = _singular(target)
    fix = (
        f"use one of: {', '.join(sorted(known))}"
        if known
        else f"no {target} are defined: add a {target} section"
    )
    assets = asset_sections(families)
    ordered = [f for f in families if f.section in assets]
    ordered += [f for f in families if f.section not in assets]
    for family in ordered:
        fields = [field for field, section in family.references.items() if section == target]
        if not fields:
            continue
        for name, entry in getattr(sc, family.section).items():
            for field in fields:
                value = getattr(entry, field)
                if value is not None and value not in known:
                    out.append(
                        Problem(
                            f"{ls.path}: {family.section}.{name}.{field}",
                            f"unknown {what}",
                            value,
                            fix,
                        )
                    )
    return out


def check_buses(ls: LoadedScenario, families: Sequence[Family] | None = None) -> list[Problem]:
    """Every asset's bus and every line end names a bus of the ``buses`` section, and a line
    joins two different buses."""
    out = reference_problems(ls, "buses", families)
    for name, line in ls.scenario.lines.items():
        if line.bus0 == line.bus1:
            out.append(
                Problem(
                    f"{ls.path}: lines.{name}", "a line must join two different buses", line.bus0
                )
            )
    return out


def check_references(ls: LoadedScenario, families: Sequence[Family] | None = None) -> list[Problem]:
    """Every other declared reference names an entry of its section (a thermal cluster's
    ``fuel`` one of ``fuels``), section by section in the order they are first declared."""
    families = SECTIONS if families is None else families
    targets = dict.fromkeys(s for f in families for s in f.references.values())
    return [p for t in targets if t != "buses" for p in reference_problems(ls, t, families)]


def named_sections(families: Sequence[Family]) -> list[str]:
    """The sections whose entries name assets and lines (results and price setters name them):
    every declared section but those that others refer to (the buses), in the order of
    ``families``."""
    targets = {s for f in families for s in f.references.values()}
    return [f.section for f in families if f.entry is not None and f.section not in targets]


def check_unique_names(
    ls: LoadedScenario, families: Sequence[Family] | None = None
) -> list[Problem]:
    """Line and asset names are unique across sections (results and price setters name them)."""
    seen: dict[str, str] = {}
    out = []
    for section in named_sections(SECTIONS if families is None else families):
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


def check_sites(ls: LoadedScenario, families: Sequence[Family] | None = None) -> list[Problem]:
    """Generators that name a ``site`` refer to one in the ``sites`` section."""
    sc, out = ls.scenario, []
    fix = (
        f"use one of: {', '.join(sorted(sc.sites))}"
        if sc.sites
        else "no sites are defined: add a sites section"
    )
    for section in asset_sections(SECTIONS if families is None else families):
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


CHECKS = (check_buses, check_unique_names, check_references, check_sites, check_reactances)
"""The checks on the validated scenario (the time section is checked by the schema)."""


def check_scenario(ls: LoadedScenario) -> list[Problem]:
    """Run every cross-reference check and return all problems found."""
    return [p for check in CHECKS for p in check(ls)]


def check_supply(ls: LoadedScenario, ds) -> list[Problem]:
    """Every bus with load can be supplied: some generator, store or tie with a non-zero size,
    or one a plan may build (:attr:`gridopt.model.family.Family.capacities`), sits at it or at
    a bus joined to it by lines. Otherwise all its load would be unserved.

    ``ds`` is the resolved inputs (:class:`gridopt.inputs.Inputs` or the input Dataset; a
    load counts when its series is above zero in some hour)."""
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

    def at(fam, names: tuple[str, ...]) -> set[str]:
        """Buses of the family's assets whose inputs ``names`` are all above zero (an hourly
        input: in some hour)."""
        mask = np.ones(ds.sizes[fam.dim], dtype=bool)
        for name in names:
            v = ds[f"{fam.dim}_{name}"]
            above = np.asarray(v.values) > 0
            mask &= above.any(axis=v.dims.index("time")) if "time" in v.dims else above
        return {str(b) for b, m in zip(ds[f"{fam.dim}_bus"].values, mask) if m}

    supplied: set[str] = set()
    loaded: set[str] = set()
    for fam in INPUTS:
        if f"{fam.dim}_bus" not in ds:
            continue
        if fam.supplies:
            supplied |= at(fam, fam.supplies)
        if fam.demand:
            loaded |= at(fam, fam.demand)
        if any(e.supply for e in fam.energy):  # an asset a plan may build supplies its bus too
            for cap in fam.capacities:
                hi = ds[cap.input(fam.dim, "new_max")].values
                supplied |= {
                    str(b)
                    for b, m in zip(ds[f"{fam.dim}_bus"].values, np.isnan(hi) | (hi > 0))
                    if m
                }
    supplied_roots = {root(b) for b in supplied if b in parent}
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
