"""Wind-farm output per unit of rated power from hourly weather (windpowerlib), and the
``wind`` generator.

Chain: wind speed at the measurement height -> hub height (power law or log profile,
:mod:`windpowerlib.wind_speed`) -> air density at hub height from the site's altitude and
the air temperature (standard-atmosphere pressure, ideal gas) -> power curve of a turbine
from windpowerlib's bundled oedb library, smoothed for the spread of wind speeds across a
farm (:func:`windpowerlib.power_curves.smooth_power_curve`, Staffell-Pfenninger) and
density-corrected (:func:`windpowerlib.power_output.power_curve_density_correction`,
IEC 61400-12-style scaling of the curve's wind speeds) -> wake, availability and electrical
losses.

Power curves are read from the CSV files that ship inside windpowerlib
(``windpowerlib/oedb/power_curves.csv`` and ``turbine_data.csv``); nothing is downloaded.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field

from gridopt.data.generators import GeneratorContext, Params, Site, generator, parse_params
from gridopt.data.weather import weather_for_generator
from gridopt.errors import InputError, Problem
from gridopt.lazy_import import lazy_module

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)

__all__ = [
    "WIND_DEFAULTS",
    "turbine_power_curve",
    "turbine_types",
    "hub_wind_speed",
    "air_density",
    "wind_power_pu",
    "WindParams",
    "wind_generator",
]


def _oedb() -> Path:
    """windpowerlib's bundled turbine library (windpowerlib, like pvlib, is imported only when
    a wind series is computed: tests/test_imports.py)."""
    import windpowerlib

    return Path(windpowerlib.__file__).parent / "oedb"


#: Technical defaults of the wind model. Source or assumption per entry.
WIND_DEFAULTS = {
    # Vensys VS112/2500: 2.5 MW, 112 m rotor (254 W/m2), a low-wind design; Vensys is
    # Goldwind's technology partner (Goldwind's 2.5 MW GW109/121 platform derives from it),
    # the most common make in Gansu. Assumption: stands in for new 2.5-4 MW class machines.
    "turbine": "VS112/2500",
    "hub_height_m": 90.0,  # assumption: typical hub height of that class in China
    "alpha": 1.0 / 7.0,  # classic onshore power-law exponent (open, flat gobi terrain)
    "roughness_m": 0.03,  # open flat terrain, few obstacles (Davenport/WMO class)
    "wake_loss_fraction": 0.07,  # assumption: large arrays in flat terrain 5-10 %
    "availability_fraction": 0.97,  # assumption: modern fleet availability 97 %
    "losses_fraction": 0.02,  # assumption: collection grid and transformer losses
    "smoothing": True,  # Staffell & Pfenninger (2016) farm-level power-curve smoothing
}

#: Specific gas constant of dry air [J/(kg K)].
R_DRY_AIR = 287.058


@functools.cache
def _turbine_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    curves = pd.read_csv(_oedb() / "power_curves.csv", index_col=0)
    data = pd.read_csv(_oedb() / "turbine_data.csv", index_col=0)
    return curves, data


def turbine_types() -> list[str]:
    """Turbine types in windpowerlib's bundled oedb library that have a power curve."""
    curves, data = _turbine_tables()
    known = set(data["turbine_type"]) if "turbine_type" in data else set(data.index)
    return sorted(t for t in curves.index if t in known)


@functools.lru_cache(maxsize=64)
def turbine_power_curve(turbine: str) -> tuple[np.ndarray, np.ndarray, float]:
    """Power curve of an oedb turbine: wind speeds [m/s], power [W], rated power [W].

    Read from windpowerlib's bundled ``oedb/power_curves.csv`` / ``turbine_data.csv`` (no
    download). Raises KeyError naming the valid types if ``turbine`` is unknown.
    """
    curves, data = _turbine_tables()
    if turbine not in curves.index:
        raise KeyError(turbine)
    row = curves.loc[turbine].dropna()
    speeds = row.index.astype(float).to_numpy()
    power = row.to_numpy(dtype=float)
    order = np.argsort(speeds)
    speeds, power = speeds[order], power[order]
    info = data[data["turbine_type"] == turbine] if "turbine_type" in data else data.loc[[turbine]]
    rated = float(info["nominal_power"].iloc[0]) if len(info) else float(power.max())
    return speeds, power, rated


def hub_wind_speed(
    wind_speed_ms: np.ndarray | pd.Series,
    measurement_height_m: float,
    hub_height_m: float,
    *,
    shear: Literal["power", "log"] = "power",
    alpha: float = WIND_DEFAULTS["alpha"],
    roughness_m: float = WIND_DEFAULTS["roughness_m"],
) -> np.ndarray:
    """Wind speed at hub height [m/s].

    ``shear="power"``: ``v_hub = v (h_hub / h_meas) ** alpha``
    (:func:`windpowerlib.wind_speed.hellman`); ``"log"``:
    ``v_hub = v ln(h_hub / z0) / ln(h_meas / z0)``
    (:func:`windpowerlib.wind_speed.logarithmic_profile`, no displacement height).

    Parameters
    ----------
    wind_speed_ms : array-like
        Wind speed at ``measurement_height_m`` [m/s].
    measurement_height_m, hub_height_m : float
        Heights above ground [m].
    shear : {"power", "log"}
    alpha : float
        Power-law (Hellman) exponent [-].
    roughness_m : float
        Roughness length z0 [m].
    """
    from windpowerlib import wind_speed

    v = np.asarray(wind_speed_ms, dtype=float)
    if shear == "power":
        return np.asarray(
            wind_speed.hellman(v, measurement_height_m, hub_height_m, hellman_exponent=alpha),
            dtype=float,
        )
    if shear == "log":
        return np.asarray(
            wind_speed.logarithmic_profile(v, measurement_height_m, hub_height_m, roughness_m),
            dtype=float,
        )
    raise ValueError(f"shear must be 'power' or 'log', got {shear!r}")


def air_density(
    altitude_m: float,
    temp_air_c: np.ndarray | float,
    *,
    temp_height_m: float = 2.0,
    hub_height_m: float = 0.0,
) -> np.ndarray:
    """Air density at hub height [kg/m3] from site altitude and air temperature.

    Pressure from the standard atmosphere at ``altitude_m + hub_height_m``
    (:func:`pvlib.atmosphere.alt2pres`: ``p = 101325 (1 - 2.25577e-5 h) ** 5.25588`` Pa);
    temperature brought from ``temp_height_m`` to hub height with -6.5 K/km; ideal gas
    ``rho = p / (R T)``, R = 287.058 J/(kg K). At 1,660 m + 90 m and 6 degC this gives
    about 1.03 kg/m3, 0.84 of the 1.225 kg/m3 sea-level standard (DOMAIN.md: about 0.85 at
    1,600 m). windpowerlib's own ``barometric`` uses a linear -1/8 hPa/m gradient, which is
    too steep this high (it would give about 794 hPa instead of 822 hPa at 1,750 m).
    """
    temp_hub_k = (
        np.asarray(temp_air_c, dtype=float) + 273.15 - 0.0065 * (hub_height_m - temp_height_m)
    )
    import pvlib

    pressure = pvlib.atmosphere.alt2pres(altitude_m + hub_height_m)
    return pressure / (R_DRY_AIR * temp_hub_k)


def _smoothed_curve(turbine: str, smoothing: bool) -> tuple[np.ndarray, np.ndarray, float]:
    speeds, power, rated = turbine_power_curve(turbine)
    if not smoothing:
        return speeds, power, rated
    return _smooth(turbine)


@functools.lru_cache(maxsize=64)
def _smooth(turbine: str) -> tuple[np.ndarray, np.ndarray, float]:
    from windpowerlib import power_curves

    speeds, power, rated = turbine_power_curve(turbine)
    # regular 0.5 m/s grid so the smoothing's grid extension is well defined
    grid = np.arange(0.0, speeds.max() + 0.25, 0.5)
    values = np.interp(grid, speeds, power, left=0.0, right=0.0)
    smooth = power_curves.smooth_power_curve(
        pd.Series(grid), pd.Series(values), standard_deviation_method="Staffell_Pfenninger"
    )
    return (
        smooth["wind_speed"].to_numpy(dtype=float),
        smooth["value"].to_numpy(dtype=float),
        rated,
    )


def wind_power_pu(
    weather: pd.DataFrame,
    site: Site,
    *,
    turbine: str = WIND_DEFAULTS["turbine"],
    hub_height_m: float = WIND_DEFAULTS["hub_height_m"],
    shear: Literal["power", "log"] = "power",
    alpha: float = WIND_DEFAULTS["alpha"],
    roughness_m: float = WIND_DEFAULTS["roughness_m"],
    measurement_height_m: float | None = None,
    wake_loss_fraction: float = WIND_DEFAULTS["wake_loss_fraction"],
    availability_fraction: float = WIND_DEFAULTS["availability_fraction"],
    losses_fraction: float = WIND_DEFAULTS["losses_fraction"],
    smoothing: bool = WIND_DEFAULTS["smoothing"],
    density_correction: bool = True,
) -> pd.Series:
    """Hourly wind-farm output per unit of rated (nameplate) power.

    Parameters
    ----------
    weather : pandas.DataFrame
        Needs wind_speed [m/s] and temp_air [degC] (see :mod:`gridopt.data.weather`).
    site : Site
        altitude_m [m] sets the air density.
    turbine : str, default "VS112/2500"
        A type in windpowerlib's bundled oedb library with a power curve
        (:func:`turbine_types`).
    hub_height_m : float, default 90
        Hub height [m].
    shear : {"power", "log"}, default "power"
        Vertical extrapolation (see :func:`hub_wind_speed`).
    alpha : float, default 1/7
        Power-law exponent [-] (``shear="power"``).
    roughness_m : float, default 0.03
        Roughness length [m] (``shear="log"``).
    measurement_height_m : float, optional
        Height of ``weather.wind_speed`` [m]; default ``weather.attrs["wind_height_m"]``.
    wake_loss_fraction : float, default 0.07
        Energy lost to wakes inside the farm [-].
    availability_fraction : float, default 0.97
        Fraction of time turbines are available [-].
    losses_fraction : float, default 0.02
        Electrical (collection, transformer) losses [-].
    smoothing : bool, default True
        Smooth the single-turbine curve for the spread of wind speeds across a farm
        (Staffell-Pfenninger: sigma = 0.6 + 0.2 v [m/s]).
    density_correction : bool, default True
        Correct the curve for hub-height air density (:func:`air_density`).

    Returns
    -------
    pandas.Series
        Output [pu of rated power], 0..1, on ``weather.index``.

    Notes
    -----
    ``pu = P_curve(v_hub; rho) / P_rated * (1 - wake) * availability * (1 - losses)``,
    capped at 1. The density correction (windpowerlib, after Svenningsen 2010) reads the
    standard curve at ``v_std = v_hub * (rho / 1.225) ** p(v_std)``, i.e. the curve's wind
    speeds are stretched by ``(1.225 / rho) ** p`` with p = 1/3 up to 7.5 m/s, rising
    linearly to 2/3 at 12.5 m/s and above.
    """
    height = measurement_height_m
    if height is None:
        height = weather.attrs.get("wind_height_m")
    if height is None:
        raise ValueError(
            "measurement height of the wind speed is unknown: pass "
            "measurement_height_m or set weather.attrs['wind_height_m']"
        )
    from windpowerlib import power_output

    speeds, power, rated = _smoothed_curve(turbine, smoothing)
    v_hub = hub_wind_speed(
        weather["wind_speed"].to_numpy(dtype=float),
        float(height),
        hub_height_m,
        shear=shear,
        alpha=alpha,
        roughness_m=roughness_m,
    )
    if density_correction:
        rho = air_density(
            site.altitude_m, weather["temp_air"].to_numpy(dtype=float), hub_height_m=hub_height_m
        )
        p = power_output.power_curve_density_correction(v_hub, speeds, power, rho)
    else:
        p = power_output.power_curve(v_hub, speeds, power)
    factor = (1.0 - wake_loss_fraction) * availability_fraction * (1.0 - losses_fraction)
    pu = np.clip(np.asarray(p, dtype=float) / rated, 0.0, 1.0) * factor
    return pd.Series(pu, index=weather.index, name="wind_pu")


class WindParams(Params):
    """Parameters of the ``wind`` generator (units in the names)."""

    site: str
    turbine: str = WIND_DEFAULTS["turbine"]
    hub_height_m: float = Field(WIND_DEFAULTS["hub_height_m"], gt=10.0, le=250.0)
    shear: Literal["power", "log"] = "power"
    alpha: float = Field(WIND_DEFAULTS["alpha"], ge=0.0, le=0.6)
    roughness_m: float = Field(WIND_DEFAULTS["roughness_m"], gt=0.0, le=2.0)
    wake_loss_fraction: float = Field(WIND_DEFAULTS["wake_loss_fraction"], ge=0.0, lt=1.0)
    availability_fraction: float = Field(WIND_DEFAULTS["availability_fraction"], gt=0.0, le=1.0)
    losses_fraction: float = Field(WIND_DEFAULTS["losses_fraction"], ge=0.0, lt=1.0)
    smoothing: bool = WIND_DEFAULTS["smoothing"]
    weather: str = "synthetic"
    seed: int | None = None
    wind_height_m: float | None = Field(None, gt=0.0)


@generator("wind")
def wind_generator(ctx: GeneratorContext, params: dict) -> np.ndarray:
    """Wind availability [pu of rated power] from synthetic or file weather.

    YAML: ``{generator: wind, site: guazhou, turbine: VS112/2500, hub_height_m: 90,
    weather: synthetic, seed: 3}``. With the same site and seed as a ``solar`` generator it
    uses the same synthetic year (and with another site the same regional weather pattern),
    so wind and PV keep their (anti-)correlation.
    """
    p = parse_params(WindParams, ctx, params)
    try:
        turbine_power_curve(p.turbine)
    except KeyError:
        # the types nearest in rated power to the one asked for (or to 3 MW), so the list
        # fits in one message
        size = p.turbine.rpartition("/")[2]
        want = float(size) if size.isdigit() else 3000.0  # "GW121/2500": 2,500 kW
        near = sorted(
            (t for t in turbine_types() if 2000 <= _rated_kw(t) <= 4500),
            key=lambda t: abs(_rated_kw(t) - want),
        )[:12]
        options = ", ".join(sorted(near))
        raise InputError(
            Problem(
                f"{ctx.where}.turbine",
                "unknown turbine type (not in windpowerlib's "
                "bundled oedb library with a power curve)",
                p.turbine,
                f"use one of the types nearest in size: {options}",
            )
        ) from None
    site = ctx.site(p.site)
    weather = weather_for_generator(ctx, site, p.weather, p.seed, p.wind_height_m)
    pu = wind_power_pu(
        weather,
        site,
        turbine=p.turbine,
        hub_height_m=p.hub_height_m,
        shear=p.shear,
        alpha=p.alpha,
        roughness_m=p.roughness_m,
        wake_loss_fraction=p.wake_loss_fraction,
        availability_fraction=p.availability_fraction,
        losses_fraction=p.losses_fraction,
        smoothing=p.smoothing,
    )
    return pu.to_numpy(dtype=float)


def _rated_kw(turbine: str) -> float:
    return turbine_power_curve(turbine)[2] / 1000.0
