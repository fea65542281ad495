"""PV output per unit of capacity from hourly weather (pvlib), and the ``solar`` generator.

Chain (all pvlib): solar position at mid-hour -> plane-of-array irradiance (Perez
transposition, fixed tilt or single-axis tracking with backtracking) -> beam incidence-angle
loss (physical IAM) -> cell temperature (SAPM, open rack) -> PVWatts DC with temperature
coefficient -> system losses -> PVWatts inverter with clipping at the AC rating.

Capacity basis
--------------
``capacity_basis="ac"`` (default) gives AC output per MW of inverter (AC) capacity, which
never exceeds 1. ``"dc"`` gives AC output per MWp of module (DC) capacity: the "ac" value
divided by ``dc_ac_ratio``. Chinese statistics (and the full-load hours in DOMAIN.md, e.g.
Dongxing's 36.5 MWp and 1,556 h) are per MWp, so use ``"dc"`` when a scenario's PV
capacity is in MWp; the ``solar`` generator defaults to ``"dc"`` for that reason.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from gridopt.data.generators import GeneratorContext, Params, Site, generator, parse_params
from gridopt.data.weather import weather_for_generator
from gridopt.lazy_import import lazy_module

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)

__all__ = ["PV_DEFAULTS", "default_tilt_deg", "pv_power_pu", "SolarParams", "solar_generator"]

#: Technical defaults (PVWatts v5 conventions unless noted). Source or assumption per entry.
PV_DEFAULTS = {
    "dc_ac_ratio": 1.2,  # assumption: common utility design 1.1-1.3
    "losses_fraction": 0.14,  # PVWatts v5 default: soiling 2, shading 3, mismatch 2, wiring 2,
    # connections 0.5, LID 1.5, nameplate 1, availability 3 % (combined 14 %)
    "gamma_pdc_per_c": -0.0035,  # crystalline silicon, PVWatts "standard" module [1/degC]
    "inverter_efficiency": 0.96,  # PVWatts v5 nominal inverter efficiency
    "albedo": 0.25,  # assumption: bare gobi/desert ground 0.2-0.3
    "gcr": 0.3,  # assumption: ground coverage ratio of 1-in-portrait single-axis trackers
    "max_angle_deg": 60.0,  # typical single-axis tracker rotation limit
    "temperature_model": "open_rack_glass_polymer",  # pvlib SAPM parameters, ground mount
    "wind_shear_alpha": 1.0 / 7.0,  # to bring wind speed to 10 m for the cell temperature
}


def default_tilt_deg(latitude_deg: float) -> float:
    """Default fixed tilt [deg]: 0.9 x |latitude|, about 35.8 deg at Jiayuguan.

    **Assumption**: fixed arrays in the Hexi corridor are tilted a little below latitude
    (about 35-38 deg) so that rows can be closer without winter shading. This model has no
    row shading; in it the unshaded optimum at Jiayuguan is about 40 deg and 35.8 deg yields
    0.2 % less (33 deg: -0.6 %, 45 deg: -0.3 %).
    """
    return round(0.9 * abs(latitude_deg), 1)


def pv_power_pu(
    weather: pd.DataFrame,
    site: Site,
    *,
    mount: Literal["fixed", "single_axis"] = "fixed",
    tilt_deg: float | None = None,
    azimuth_deg: float = 180.0,
    dc_ac_ratio: float = PV_DEFAULTS["dc_ac_ratio"],
    losses_fraction: float = PV_DEFAULTS["losses_fraction"],
    gamma_pdc_per_c: float = PV_DEFAULTS["gamma_pdc_per_c"],
    inverter_efficiency: float = PV_DEFAULTS["inverter_efficiency"],
    albedo: float = PV_DEFAULTS["albedo"],
    gcr: float = PV_DEFAULTS["gcr"],
    max_angle_deg: float = PV_DEFAULTS["max_angle_deg"],
    wind_height_m: float | None = None,
    capacity_basis: Literal["ac", "dc"] = "ac",
) -> pd.Series:
    """Hourly PV output per unit of capacity.

    Parameters
    ----------
    weather : pandas.DataFrame
        Columns ghi, dni, dhi [W/m2] (hourly means), temp_air [degC], wind_speed [m/s];
        hour-beginning, time-zone-aware index (see :mod:`gridopt.data.weather`).
    site : Site
        latitude_deg, longitude_deg [deg], altitude_m [m].
    mount : {"fixed", "single_axis"}
        Fixed rack, or horizontal north-south single-axis trackers with backtracking.
    tilt_deg : float, optional
        Fixed tilt from horizontal [deg]; default :func:`default_tilt_deg` (0.9 x latitude).
        Not used for single-axis.
    azimuth_deg : float, default 180
        Fixed array azimuth, clockwise from north [deg] (180 = south). For single-axis, the
        axis is north-south; azimuth is ignored.
    dc_ac_ratio : float, default 1.2
        Module DC rating over inverter AC rating [-].
    losses_fraction : float, default 0.14
        DC system losses [-] (PVWatts default: soiling, shading, mismatch, wiring, LID,
        nameplate, availability).
    gamma_pdc_per_c : float, default -0.0035
        Temperature coefficient of DC power [1/degC].
    inverter_efficiency : float, default 0.96
        Nominal inverter efficiency [-] (:func:`pvlib.inverter.pvwatts`).
    albedo : float, default 0.25
        Ground reflectance [-].
    gcr : float, default 0.35
        Ground coverage ratio of trackers [-] (backtracking geometry).
    max_angle_deg : float, default 60
        Tracker rotation limit [deg].
    wind_height_m : float, optional
        Height of ``weather.wind_speed`` [m]; default ``weather.attrs["wind_height_m"]``,
        else 10 m. Brought to 10 m with a 1/7 power law for the cell temperature model.
    capacity_basis : {"ac", "dc"}, default "ac"
        Output per MW of AC (inverter) capacity, or per MWp of DC (module) capacity.

    Returns
    -------
    pandas.Series
        AC output [pu] on ``weather.index``, 0..1 ("ac") or 0..1/dc_ac_ratio ("dc").

    Notes
    -----
    Per hour (labels are hour-beginning, so the sun is placed at the middle of the hour)::

        poa      = Perez(dni, ghi, dhi, tilt, azimuth, sun)       [W/m2]
        eff      = poa_beam * IAM_physical(aoi) + poa_diffuse      [W/m2]
        T_cell   = SAPM(poa, temp_air, wind_10m)                   [degC]
        P_dc     = dc_ac_ratio * eff/1000 * (1 + gamma (T_cell - 25)) * (1 - losses)
        P_ac     = PVWatts_inverter(P_dc, pdc0 = 1/eta_nom)  <= 1  [pu of AC]
    """
    if mount not in ("fixed", "single_axis"):
        raise ValueError(f"mount must be 'fixed' or 'single_axis', got {mount!r}")
    if capacity_basis not in ("ac", "dc"):
        raise ValueError(f"capacity_basis must be 'ac' or 'dc', got {capacity_basis!r}")
    index = weather.index
    mid = index + pd.Timedelta(minutes=30)
    temp_air = weather["temp_air"].to_numpy(dtype=float)
    import pvlib  # imported here: importing pvlib takes ~1 s (tests/test_imports.py)

    solpos = pvlib.solarposition.get_solarposition(
        mid,
        site.latitude_deg,
        site.longitude_deg,
        altitude=site.altitude_m,
        temperature=pd.Series(temp_air, index=mid),
    )
    zenith = solpos["apparent_zenith"].to_numpy()
    azimuth = solpos["azimuth"].to_numpy()

    if mount == "fixed":
        tilt = default_tilt_deg(site.latitude_deg) if tilt_deg is None else float(tilt_deg)
        surface_tilt = np.full(len(index), tilt)
        surface_azimuth = np.full(len(index), float(azimuth_deg))
    else:
        track = pvlib.tracking.singleaxis(
            pd.Series(zenith, index=mid),
            pd.Series(azimuth, index=mid),
            axis_tilt=0.0,
            axis_azimuth=180.0,
            max_angle=max_angle_deg,
            backtrack=True,
            gcr=gcr,
        )
        surface_tilt = track["surface_tilt"].to_numpy(dtype=float)
        surface_azimuth = track["surface_azimuth"].to_numpy(dtype=float)
        down = np.isnan(surface_tilt)
        surface_tilt = np.where(down, 0.0, surface_tilt)
        surface_azimuth = np.where(down, 180.0, surface_azimuth)

    dni_extra = pvlib.irradiance.get_extra_radiation(mid).to_numpy()
    airmass = pvlib.atmosphere.get_relative_airmass(zenith)
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt,
        surface_azimuth,
        zenith,
        azimuth,
        weather["dni"].to_numpy(dtype=float),
        weather["ghi"].to_numpy(dtype=float),
        weather["dhi"].to_numpy(dtype=float),
        dni_extra=dni_extra,
        airmass=airmass,
        albedo=albedo,
        model="perez",
    )
    aoi = pvlib.irradiance.aoi(surface_tilt, surface_azimuth, zenith, azimuth)
    iam = pvlib.iam.physical(aoi)
    beam = np.nan_to_num(np.asarray(poa["poa_direct"], dtype=float), nan=0.0)
    diffuse = np.nan_to_num(np.asarray(poa["poa_diffuse"], dtype=float), nan=0.0)
    poa_global = np.maximum(beam + diffuse, 0.0)
    effective = np.maximum(beam * np.nan_to_num(iam, nan=0.0) + diffuse, 0.0)

    height = wind_height_m if wind_height_m is not None else weather.attrs.get("wind_height_m")
    height = 10.0 if height is None else float(height)
    wind10 = (
        weather["wind_speed"].to_numpy(dtype=float)
        * (10.0 / height) ** PV_DEFAULTS["wind_shear_alpha"]
    )
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][
        PV_DEFAULTS["temperature_model"]
    ]
    temp_cell = pvlib.temperature.sapm_cell(poa_global, temp_air, wind10, **params)

    pdc = pvlib.pvsystem.pvwatts_dc(
        effective, temp_cell, pdc0=dc_ac_ratio, gamma_pdc=gamma_pdc_per_c
    )
    pdc = np.maximum(np.asarray(pdc, dtype=float), 0.0) * (1.0 - losses_fraction)
    pac = pvlib.inverter.pvwatts(
        pdc, pdc0=1.0 / inverter_efficiency, eta_inv_nom=inverter_efficiency
    )
    pac = np.clip(np.nan_to_num(np.asarray(pac, dtype=float), nan=0.0), 0.0, 1.0)
    if capacity_basis == "dc":
        pac = pac / dc_ac_ratio
    return pd.Series(pac, index=index, name="pv_pu")


class SolarParams(Params):
    """Parameters of the ``solar`` generator (units in the names)."""

    site: str
    mount: Literal["fixed", "single_axis"] = "fixed"
    tilt_deg: float | None = Field(None, ge=0.0, le=90.0)
    azimuth_deg: float = Field(180.0, ge=0.0, le=360.0)
    dc_ac_ratio: float = Field(PV_DEFAULTS["dc_ac_ratio"], ge=0.8, le=2.5)
    losses_fraction: float = Field(PV_DEFAULTS["losses_fraction"], ge=0.0, lt=1.0)
    gamma_pdc_per_c: float = Field(PV_DEFAULTS["gamma_pdc_per_c"], ge=-0.01, le=0.0)
    albedo: float = Field(PV_DEFAULTS["albedo"], ge=0.0, le=1.0)
    gcr: float = Field(PV_DEFAULTS["gcr"], gt=0.0, lt=1.0)
    capacity_basis: Literal["ac", "dc"] = "dc"
    weather: str = "synthetic"
    seed: int | None = None
    wind_height_m: float | None = Field(None, gt=0.0)


@generator("solar")
def solar_generator(ctx: GeneratorContext, params: dict) -> np.ndarray:
    """PV availability [pu] from synthetic or file weather.

    YAML: ``{generator: solar, site: jiayuguan, mount: single_axis, weather: synthetic,
    seed: 3}``. ``weather`` is ``synthetic`` (with ``seed``, default 0) or a weather file path
    (EPW, TMY3 or CSV; ``wind_height_m`` for a CSV without the header comment). Other
    parameters as in :func:`pv_power_pu`, except that ``capacity_basis`` defaults to
    ``"dc"`` here: a scenario's ``p_nom_mw`` for PV is the installed (nameplate, MWp)
    capacity, as in Chinese statistics, DOMAIN.md's full-load hours and the per-kWp capex,
    so the availability is per MWp. Use ``capacity_basis: ac`` if ``p_nom_mw`` is inverter
    (AC) capacity.
    """
    p = parse_params(SolarParams, ctx, params)
    site = ctx.site(p.site)
    weather = weather_for_generator(ctx, site, p.weather, p.seed, p.wind_height_m)
    pu = pv_power_pu(
        weather,
        site,
        mount=p.mount,
        tilt_deg=p.tilt_deg,
        azimuth_deg=p.azimuth_deg,
        dc_ac_ratio=p.dc_ac_ratio,
        losses_fraction=p.losses_fraction,
        gamma_pdc_per_c=p.gamma_pdc_per_c,
        albedo=p.albedo,
        gcr=p.gcr,
        capacity_basis=p.capacity_basis,
    )
    return pu.to_numpy(dtype=float)
