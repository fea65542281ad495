"""The same dispatch LP as gridopt's, built in PyPSA from gridopt's hourly input Dataset, for
``bench_year.py --vs-pypsa`` (needs the ``bench`` extra: ``pip install -e ".[bench]"``).

Each family maps onto PyPSA components where PyPSA has the same formulation, and onto linopy
variables and constraints added to ``n.model`` where it has not (``extra``):

- buses; fixed loads: ``Load``; renewables: ``Generator`` (``p_max_pu`` = availability,
  ``marginal_cost`` = VOM);
- lines with a loss factor: two ``Link`` s per line (one each way, ``efficiency`` 1 - loss,
  ``marginal_cost`` the tie-break of gridopt.model.network, 1e-7 x VOLL); Kirchhoff's voltage
  law on x_pu x (forward - reverse flow) around each cycle of gridopt's own cycle basis
  (extra: PyPSA applies KVL to ``Line`` s only, which have no losses);
- thermal clusters: ``Generator`` (``p_min_pu`` = must-run / P, ``p_max_pu`` = availability,
  ``marginal_cost``, ``ramp_limit_up``/``down``); the linearised unit commitment (committed
  capacity u, started capacity v, cyclic, start-up cost) in extra: PyPSA's own
  ``committable`` status is a fraction of one unit with start-up ramp rules and no cyclic
  start, a different LP;
- storage: ``StorageUnit`` (efficiencies, standing loss, initial state: PyPSA's first hour
  starts from ``state_of_charge_initial`` without the standing loss, gridopt's from the
  initial state less it, so PyPSA gets (1 - loss) x the initial state), the end state = the
  initial state (gridopt's ``cyclic`` bound) in extra;
- flexible load: a ``Generator`` with negative output in its band, ``ramp_limit`` s, the
  energy of each window and the shift-cost deficit in extra;
- interruptible load: ``Load`` + an interruption ``Generator`` with ``e_sum_max``;
- the tie: an import ``Generator`` at the hourly import price and an export ``Generator``
  (output in [-X, 0]) at the export price;
- unserved energy and dumped excess: a ``Generator`` at VOLL and one with output in [-inf, 0]
  at minus the excess penalty, per bus.

Not covered (raises NotImplementedError): hydrogen, policies, lossless lines with losses
mixed in a transport model, planning. The objective is the LP's, tie-break included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.model.network import TIE_BREAK_PER_VOLL, cycle_matrix

BIG_MW = 1e6
"""Capacity of the slack generators (unserved energy, dumped excess) [MW]: never binding."""


def _check(ds: xr.Dataset) -> None:
    missing = [
        what
        for what, bad in (
            ("hydrogen", ds.sizes.get("h2", 0) > 0),
            ("policy rows", any(v.startswith("policy_") for v in ds.data_vars)),
            ("lossless lines", bool((ds["line_loss_factor"].values <= 0).any())),
        )
        if bad
    ]
    if missing:
        raise NotImplementedError("pypsa_network does not model: " + ", ".join(missing))


def build_network(ds: xr.Dataset):
    """The PyPSA network of input Dataset ``ds`` and the function that adds the rest of the
    LP to ``n.model`` (pass it to :func:`solve`)."""
    import pypsa

    _check(ds)
    T = ds.sizes["time"]
    n = pypsa.Network()
    snaps = pd.RangeIndex(T, name="snapshot")
    n.set_snapshots(snaps)
    buses = [str(b) for b in ds["bus"].values]
    n.add("Bus", buses)
    voll = float(ds["voll_cny_per_mwh"])
    n.add(
        "Generator", [f"unserved {b}" for b in buses], bus=buses, p_nom=BIG_MW, marginal_cost=voll
    )
    n.add(
        "Generator",
        [f"excess {b}" for b in buses],
        bus=buses,
        p_nom=BIG_MW,
        p_min_pu=-1.0,
        p_max_pu=0.0,
        marginal_cost=-float(ds["excess_penalty_cny_per_mwh"]),
    )

    def series(name: str, cols: list[str]) -> pd.DataFrame:
        return pd.DataFrame(ds[name].values, index=snaps, columns=cols)

    # lines: one link each way
    lines = [str(x) for x in ds["line"].values]
    b0 = [str(x) for x in ds["line_bus0"].values]
    b1 = [str(x) for x in ds["line_bus1"].values]
    eff = 1.0 - ds["line_loss_factor"].values
    eps = TIE_BREAK_PER_VOLL * voll
    n.add(
        "Link",
        [f"{x} fwd" for x in lines],
        bus0=b0,
        bus1=b1,
        p_nom=ds["line_p_max_mw"].values,
        efficiency=eff,
        marginal_cost=eps,
    )
    n.add(
        "Link",
        [f"{x} rev" for x in lines],
        bus0=b1,
        bus1=b0,
        p_nom=ds["line_p_max_reverse_mw"].values,
        efficiency=eff,
        marginal_cost=eps,
    )

    # renewables, loads
    ren = [str(x) for x in ds["renewable"].values]
    n.add(
        "Generator",
        ren,
        bus=ds["renewable_bus"].values,
        p_nom=ds["renewable_p_nom_mw"].values,
        p_max_pu=series("renewable_availability_pu", ren),
        marginal_cost=ds["renewable_vom_cny_per_mwh"].values,
    )
    loads = [str(x) for x in ds["load"].values]
    n.add("Load", loads, bus=ds["load_bus"].values, p_set=series("load_p_mw", loads))

    # thermal
    th = [str(x) for x in ds["thermal"].values]
    P = ds["thermal_p_nom_mw"].values
    n.add(
        "Generator",
        th,
        bus=ds["thermal_bus"].values,
        p_nom=P,
        p_min_pu=series("thermal_must_run_mw", th) / P,
        p_max_pu=series("thermal_availability_pu", th),
        marginal_cost=ds["thermal_marginal_cost_cny_per_mwh"].values,
        ramp_limit_up=ds["thermal_ramp_up_fraction_per_h"].values,
        ramp_limit_down=ds["thermal_ramp_down_fraction_per_h"].values,
    )

    # storage
    st = [str(x) for x in ds["storage"].values]
    pc, pd_ = ds["storage_p_charge_max_mw"].values, ds["storage_p_discharge_max_mw"].values
    if not np.array_equal(pc, pd_):
        raise NotImplementedError("storage with different charge and discharge power")
    E = ds["storage_e_max_mwh"].values
    if (ds["storage_soc_min_fraction"].values != 0).any() or (
        ds["storage_soc_max_fraction"].values != 1
    ).any():
        raise NotImplementedError("storage state-of-charge limits other than 0..1")
    n.add(
        "StorageUnit",
        st,
        bus=ds["storage_bus"].values,
        p_nom=pc,
        max_hours=E / pc,
        efficiency_store=ds["storage_eff_charge"].values,
        efficiency_dispatch=ds["storage_eff_discharge"].values,
        standing_loss=ds["storage_standing_loss_per_h"].values,
        # PyPSA's first hour starts from the initial state without its standing loss;
        # gridopt's loses (1 - standing loss) of it, as every other hour: the same LP
        state_of_charge_initial=(1 - ds["storage_standing_loss_per_h"].values)
        * ds["storage_soc_initial_fraction"].values
        * E,
        cyclic_state_of_charge=False,
        marginal_cost=ds["storage_vom_cny_per_mwh"].values,
    )

    # flexible load: output in [-(1 + up) N, -(1 - down) N]
    fx = [str(x) for x in ds["flex"].values]
    nom = series("flex_p_nominal_mw", fx)
    peak = nom.max().values
    bd, bu = ds["flex_band_down_fraction"].values, ds["flex_band_up_fraction"].values
    ramp = ds["flex_ramp_fraction_per_h"].values * peak
    n.add(
        "Generator",
        [f"flex {x}" for x in fx],
        bus=ds["flex_bus"].values,
        p_nom=peak,
        p_min_pu=(-(1 + bu) * nom / peak).set_axis([f"flex {x}" for x in fx], axis=1),
        p_max_pu=(-(1 - bd) * nom / peak).set_axis([f"flex {x}" for x in fx], axis=1),
        ramp_limit_up=ramp / peak,
        ramp_limit_down=ramp / peak,
    )

    # interruptible load
    it = [str(x) for x in ds["intr"].values]
    D = series("intr_p_mw", it)
    n.add("Load", it, bus=ds["intr_bus"].values, p_set=D)
    dmax = D.max().values
    cap = ds["intr_max_fraction"].values * D / np.where(dmax > 0, dmax, 1.0)
    n.add(
        "Generator",
        [f"interrupt {x}" for x in it],
        bus=ds["intr_bus"].values,
        p_nom=dmax,
        p_max_pu=cap.set_axis([f"interrupt {x}" for x in it], axis=1),
        marginal_cost=ds["intr_cost_cny_per_mwh"].values,
        e_sum_max=ds["intr_max_energy_mwh"].values,
    )

    # ties
    ti = [str(x) for x in ds["tie"].values]
    n.add(
        "Generator",
        [f"import {x}" for x in ti],
        bus=ds["tie_bus"].values,
        p_nom=ds["tie_import_max_mw"].values,
        marginal_cost=series("tie_import_price_cny_per_mwh", [f"import {x}" for x in ti]),
    )
    n.add(
        "Generator",
        [f"export {x}" for x in ti],
        bus=ds["tie_bus"].values,
        p_nom=ds["tie_export_max_mw"].values,
        p_min_pu=-1.0,
        p_max_pu=0.0,
        marginal_cost=series("tie_export_price_cny_per_mwh", [f"export {x}" for x in ti]),
    )

    def extra(n) -> None:
        m = n.model
        p = m["Generator-p"]
        snap = p.indexes["snapshot"]
        # Kirchhoff's voltage law on the lossy lines' sending-end flows (gridopt's basis)
        C = cycle_matrix(b0, b1, buses)
        if ds.attrs.get("power_flow") == "dc" and C.size:
            f = m["Link-p"]
            x = ds["line_x_pu"].values
            for c in range(C.shape[0]):
                terms = [
                    C[c, ln]
                    * x[ln]
                    * (f.sel(name=f"{lines[ln]} fwd") - f.sel(name=f"{lines[ln]} rev"))
                    for ln in np.flatnonzero(C[c])
                ]
                m.add_constraints(sum(terms[1:], terms[0]) == 0, name=f"kvl {c}")
        # storage ends where it started (gridopt's cyclic bound)
        soc = m["StorageUnit-state_of_charge"]
        end = ds["storage_soc_initial_fraction"].values * E
        for s, name in enumerate(st):
            if bool(ds["storage_cyclic"].values[s]):
                m.add_constraints(
                    soc.sel(name=name).isel(snapshot=-1) == end[s], name=f"soc end {name}"
                )
        # thermal linearised unit commitment
        mu = ds["thermal_min_stable_fraction"].values
        s_cost = ds["thermal_startup_cost_cny_per_mw"].values
        avail = ds["thermal_availability_pu"].values
        obj = 0
        for g, name in enumerate(th):
            if mu[g] <= 0 and s_cost[g] <= 0:
                continue
            ub = xr.DataArray(avail[:, g] * P[g], coords={"snapshot": snap})
            u = m.add_variables(lower=0, upper=ub, name=f"committed {name}")
            v = m.add_variables(lower=0, upper=np.inf, coords=[snap], name=f"startup {name}")
            pg = p.sel(name=name)
            m.add_constraints(pg - u <= 0, name=f"max committed {name}")
            if mu[g] > 0:
                m.add_constraints(pg - mu[g] * u >= 0, name=f"min stable {name}")
            u_prev = u.roll(snapshot=1)  # u[t-1], cyclic: u[-1] = u[T-1]
            m.add_constraints(v - u + u_prev >= 0, name=f"startup def {name}")
            if s_cost[g] > 0:
                obj = obj + s_cost[g] * v.sum()
        # flexible load: energy per window, shift-cost deficit
        window = ds["flex_window_h"].values.astype(int)
        k = ds["flex_shift_cost_cny_per_mwh"].values
        for f_, name in enumerate(fx):
            pf = p.sel(name=f"flex {name}")  # = -consumption
            N = nom[name].values
            for start in range(0, T, window[f_]):
                stop = min(start + window[f_], T)
                m.add_constraints(
                    pf.isel(snapshot=slice(start, stop)).sum() == -float(N[start:stop].sum()),
                    name=f"flex energy {name} {start}",
                )
            if k[f_] > 0:
                ub = xr.DataArray(bd[f_] * N, coords={"snapshot": snap})
                d = m.add_variables(lower=0, upper=ub, name=f"flex deficit {name}")
                # deficit >= N - consumption = N + pf
                m.add_constraints(
                    d - pf >= xr.DataArray(N, coords={"snapshot": snap}),
                    name=f"flex deficit def {name}",
                )
                obj = obj + k[f_] * d.sum()
        if not isinstance(obj, int):
            m.objective = m.objective.expression + obj

    return n, extra


def solve(ds: xr.Dataset, threads: int = 1) -> dict:
    """Build and solve ``ds`` in PyPSA with HiGHS; figures for the comparison."""
    import time

    t0 = time.perf_counter()
    n, extra = build_network(ds)
    n.optimize.create_model()
    extra(n)
    t1 = time.perf_counter()
    status, condition = n.optimize.solve_model(
        solver_name="highs", solver_options={"threads": threads, "log_to_console": False}
    )
    t2 = time.perf_counter()
    m = n.model
    h = getattr(m, "solver_model", None)
    info = {}
    if h is not None:
        try:
            info["highs_time_s"] = float(h.getRunTime())
            lp = h.getLp()
            info.update(rows=lp.num_row_, columns=lp.num_col_, nonzeros=len(lp.a_matrix_.value_))
        except Exception:  # the solver model is kept only with some io_api settings
            pass
    info.setdefault("rows", int(m.constraints.ncons))
    info.setdefault("columns", int(m.variables.nvars))
    return {
        "network": n,
        "status": f"{status} ({condition})",
        "objective": float(m.objective.value),
        "build_s": t1 - t0,
        "solve_s": t2 - t1,
        **info,
    }
