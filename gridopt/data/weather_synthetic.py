"""A reproducible synthetic weather year for a site of the Hexi corridor, drawn from a seed.

:func:`synthetic_weather` draws clear-sky irradiance with clouds, temperature and wind; every
constant comes from a :class:`~gridopt.data.weather_climate.SyntheticClimate` (default
:data:`~gridopt.data.weather_climate.HEXI_CORRIDOR`). The result is a weather table as
described in :mod:`gridopt.data.weather_table`.
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from gridopt.data.generators import Site
from gridopt.data.weather_climate import HEXI_CORRIDOR, SyntheticClimate
from gridopt.lazy_import import lazy_module

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)


def _seasonal(monthly: tuple[float, ...], doy: np.ndarray) -> np.ndarray:
    """Periodic linear interpolation of 12 mid-month values to day of year (1..366)."""
    mid = np.array(
        [15.5, 45.0, 74.5, 105.0, 135.5, 166.0, 196.5, 227.5, 258.0, 288.5, 319.0, 349.5]
    )
    x = np.concatenate([mid - 365.0, mid, mid + 365.0])
    y = np.tile(np.asarray(monthly, dtype=float), 3)
    return np.interp(doy, x, y)


def _site_key(site: Site) -> int:
    """A stable integer for a site's coordinates (to 0.001 deg), for its own random draws."""
    return zlib.crc32(f"{site.latitude_deg:.3f},{site.longitude_deg:.3f}".encode())


def _ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary Gaussian AR(1) with unit variance: x[t] = phi x[t-1] + sqrt(1-phi^2) e[t]."""
    from scipy import signal  # imported here, as pvlib (synthetic_weather)

    e = rng.standard_normal(n)
    if n == 0:
        return e
    b0 = math.sqrt(1.0 - phi * phi)
    out, _ = signal.lfilter([b0], [1.0, -phi], e, zi=[e[0] * (1.0 - b0)])
    return out


def _daily_to_hourly(daily: np.ndarray, day_pos: np.ndarray, phi: float) -> np.ndarray:
    """Interpolate a unit-variance daily AR(1) to hours (day centres at noon), keeping unit
    variance: the interpolated value between two days at fraction f has variance
    (1-f)^2 + f^2 + 2 f (1-f) phi, which is divided out."""
    n = len(daily)
    x = np.clip(day_pos - 0.5, 0.0, n - 1.0)
    i0 = np.floor(x).astype(int)
    i1 = np.minimum(i0 + 1, n - 1)
    f = x - i0
    val = (1.0 - f) * daily[i0] + f * daily[i1]
    var = (1.0 - f) ** 2 + f**2 + 2.0 * f * (1.0 - f) * phi
    return val / np.sqrt(var)


def _mean_sigmoid_offset(target: np.ndarray, spread: float) -> np.ndarray:
    """mu such that E[sigmoid(mu + spread Z)] = target, Z ~ N(0,1) (Gauss-Hermite + bisection)."""
    from scipy import special

    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    weights = weights / weights.sum()
    lo = np.full(target.shape, -20.0)
    hi = np.full(target.shape, 20.0)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        mean = (special.expit(mid[:, None] + spread * nodes[None, :]) * weights).sum(axis=1)
        lo = np.where(mean < target, mid, lo)
        hi = np.where(mean < target, hi, mid)
    return 0.5 * (lo + hi)


def synthetic_weather(
    site: Site,
    index: pd.DatetimeIndex,
    seed: int,
    *,
    climate: SyntheticClimate = HEXI_CORRIDOR,
) -> pd.DataFrame:
    """Draw a reproducible synthetic weather series for a Hexi-corridor site.

    Method (vectorised; every constant from ``climate``):

    * **Clear sky**: :meth:`pvlib.location.Location.get_clearsky` (Ineichen-Perez) at the
      middle of each hour, with the site's monthly Linke turbidity from pvlib's bundled
      climatology (``LinkeTurbidities.h5``, read offline) and the site's altitude.
    * **Cloudiness**: a daily Gaussian AR(1) state ``c_d`` (persistence ``cloud_day_ar1``),
      centred per calendar quarter plus a year anomaly ``N(0, cloud_year_sd)``, is mapped to a
      daily clear-sky index ``Kc_d = clear_index_max * sigmoid(mu(doy) + clear_index_spread
      * c_d)``, ``mu`` chosen so the mean follows ``clear_index_monthly``. Hours vary around
      it by an hourly AR(1) scaled with the day's cloudiness ``1 - Kc_d`` (clear days are
      smooth). GHI = Kc x clear-sky GHI, Kc clipped to 0.02..1.05.
    * **DNI/DHI**: :func:`pvlib.irradiance.dirindex` (DIRINT scaled to the clear-sky DNI) at
      the site's pressure (:func:`pvlib.atmosphere.alt2pres`); DNI <= clear-sky DNI;
      DHI = GHI - DNI cos(zenith).
    * **Temperature**: monthly means moved to the site's altitude with the lapse rate, a
      daily AR(1) anomaly, and a daily cosine cycle peaking at ``temp_max_solar_hour`` local
      solar time whose range shrinks on cloudy days (clear nights are cold).
    * **Wind** at ``climate.wind_ref_height_m``: a Gaussian driver ``g`` (hourly AR(1),
      centred per calendar year, mixed with the *negated* daily cloud state so that
      ``corr(g, -c_d) = wind_cloud_coupling``) goes through the normal CDF and the Weibull
      quantile function, shape ``wind_weibull_k``, scale = annual mean x monthly factor x
      daily cosine cycle (maximum at ``wind_max_solar_hour``) x a per-year lognormal factor
      (``wind_year_sd``) / Gamma(1 + 1/k).

    The draws are made on whole calendar years (in the index's time zone) that cover
    ``index``, then ``index`` is taken out, so a week of 2025 is the same week as in the
    full 2025 year for that seed. Cloudiness and temperature anomalies depend only on
    ``seed`` and the years: every site of a scenario with the same seed sees the same
    regional weather (**assumption**: sites within ~200 km share synoptic weather). The wind
    driver is that regional pattern mixed with the site's own AR(1) (seeded by ``seed`` and
    the site's coordinates), so two different sites correlate ``wind_site_correlation`` and
    one site always gets the same wind. The site also sets the sun geometry, turbidity, solar
    time and altitude.

    Parameters
    ----------
    site : Site
        Latitude, longitude [deg], altitude [m].
    index : pandas.DatetimeIndex
        Hourly (on the hour), time-zone-aware; labels are hour-beginning.
    seed : int
        Seed for :func:`numpy.random.default_rng`. Same seed and index: bit-identical.
    climate : SyntheticClimate
        Calibration constants (default :data:`HEXI_CORRIDOR`).

    Returns
    -------
    pandas.DataFrame
        ghi, dni, dhi [W/m2], temp_air [degC], wind_speed [m/s] on ``index``; the wind is at
        ``attrs["wind_height_m"] = climate.wind_ref_height_m``.
    """
    import pvlib  # imported here: pvlib and scipy take ~1 s to import (tests/test_imports.py)
    from scipy import special

    if index.tz is None:
        raise ValueError("synthetic_weather needs a time-zone-aware index")
    tz = index.tz
    first, last = int(index.year.min()), int(index.year.max())
    grid = pd.date_range(
        pd.Timestamp(first, 1, 1), pd.Timestamp(last + 1, 1, 1), freq="h", inclusive="left"
    ).tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    grid = grid[~grid.isna()]
    take = grid.get_indexer(index)
    if (take < 0).any():
        raise ValueError("synthetic_weather needs an index of whole hours")
    # The random draws below always run over the whole grid, so they do not depend on the
    # horizon. The sun (position, clear sky, DIRINT) is computed only from the hour before the
    # index's first to the hour after its last: every sun quantity is a function of its own
    # hour, except DIRINT's stability index, which reads the hours on either side; a day of a
    # year thus gets the values it has in the whole year, bit for bit.
    n = len(grid)
    rng = np.random.default_rng(seed)
    rng_cloud, rng_hour, rng_temp, rng_wind = rng.spawn(4)

    mid = grid + pd.Timedelta(minutes=30)
    sun = (
        slice(max(int(take.min()) - 1, 0), min(int(take.max()) + 2, n))
        if len(take)
        else slice(0, 0)
    )
    mid_sun = mid[sun]
    loc = pvlib.location.Location(
        site.latitude_deg, site.longitude_deg, site.timezone, site.altitude_m
    )
    solpos = loc.get_solarposition(mid_sun)
    if climate.linke_turbidity_monthly is None:
        linke = pvlib.clearsky.lookup_linke_turbidity(
            mid_sun, site.latitude_deg, site.longitude_deg
        )
    else:
        linke = pd.Series(
            np.asarray(climate.linke_turbidity_monthly)[mid_sun.month - 1], index=mid_sun
        )
    clear = loc.get_clearsky(
        mid_sun, model="ineichen", solar_position=solpos, linke_turbidity=linke
    )
    zenith = solpos["zenith"].to_numpy()
    ghi_clear = clear["ghi"].to_numpy()
    dni_clear = clear["dni"].to_numpy()

    # --- days (local calendar days) and time of day
    local_days = grid.normalize()
    day_codes, day_values = pd.factorize(local_days)
    day_values = pd.DatetimeIndex(day_values)
    n_days = len(day_values)
    hours_into_day = ((grid - local_days) / pd.Timedelta(hours=1)).to_numpy()
    day_pos = day_codes + (hours_into_day + 0.5) / 24.0
    doy_day = day_values.day_of_year.to_numpy().astype(float)
    day_year = day_values.year.to_numpy()
    doy = mid.day_of_year.to_numpy() + mid.hour.to_numpy() / 24.0
    utc_mid = mid.tz_convert("UTC")
    # mean local solar time at mid-hour [h] (no equation of time)
    solar_hour = np.asarray(
        (utc_mid.hour + utc_mid.minute / 60.0 + site.longitude_deg / 15.0) % 24.0, dtype=float
    )
    years, day_year_code = np.unique(day_year, return_inverse=True)
    year_code = day_year_code[day_codes]

    # --- cloudiness
    c_day = _ar1(rng_cloud, n_days, climate.cloud_day_ar1)
    # centre per calendar quarter, so each season keeps its calibrated mean cloudiness and the
    # year-to-year spread is set by cloud_year_sd (not by chance alignment of cloudy spells
    # with the high-sun season)
    quarter_code = 4 * day_year_code + day_values.quarter.to_numpy() - 1
    c_day = c_day - _group_mean(c_day, quarter_code, 4 * len(years))
    c_day = c_day + climate.cloud_year_sd * rng_cloud.standard_normal(len(years))[day_year_code]
    target = _seasonal(climate.clear_index_monthly, doy_day) / climate.clear_index_max
    mu = _mean_sigmoid_offset(np.clip(target, 0.01, 0.99), climate.clear_index_spread)
    kc_day = climate.clear_index_max * special.expit(mu + climate.clear_index_spread * c_day)
    kc_day_h = kc_day[day_codes]
    e_hour = _ar1(rng_hour, n, climate.cloud_hour_ar1)
    kc = np.clip(kc_day_h + climate.cloud_hour_sd * (1.0 - kc_day_h) * e_hour, 0.02, 1.05)
    up = zenith < 90.0
    ghi_sun = np.where(up, kc[sun] * ghi_clear, 0.0)
    pressure = pvlib.atmosphere.alt2pres(site.altitude_m)
    dni_sun = pvlib.irradiance.dirindex(
        pd.Series(ghi_sun, index=mid_sun),
        pd.Series(ghi_clear, index=mid_sun),
        pd.Series(dni_clear, index=mid_sun),
        pd.Series(zenith, index=mid_sun),
        mid_sun,
        pressure=pressure,
    ).to_numpy()
    dni_sun = np.clip(np.nan_to_num(dni_sun, nan=0.0), 0.0, dni_clear)
    cosz = np.cos(np.radians(zenith))
    dni_sun = np.where(up, np.minimum(dni_sun, ghi_sun / np.maximum(cosz, 1e-3)), 0.0)
    ghi, dni, dhi = np.zeros(n), np.zeros(n), np.zeros(n)  # outside ``sun``: never taken
    ghi[sun], dni[sun] = ghi_sun, dni_sun
    dhi[sun] = np.where(up, np.maximum(ghi_sun - dni_sun * cosz, 0.0), 0.0)

    # --- temperature
    t_mean = _seasonal(climate.temp_monthly_mean_c, doy) + climate.temp_lapse_c_per_m * (
        site.altitude_m - climate.temp_ref_altitude_m
    )
    t_anom = climate.temp_day_sd_c * _daily_to_hourly(
        _ar1(rng_temp, n_days, climate.temp_day_ar1), day_pos, climate.temp_day_ar1
    )
    kc_ref = float(np.mean(climate.clear_index_monthly))
    range_scale = np.clip(0.3 + 0.7 * kc_day_h / kc_ref, 0.3, 1.2)
    t_cycle = (
        0.5
        * climate.temp_diurnal_range_c
        * range_scale
        * np.cos(2.0 * np.pi * (solar_hour - climate.temp_max_solar_hour) / 24.0)
    )
    temp_air = t_mean + t_anom + t_cycle

    # --- wind
    rho = climate.wind_cloud_coupling
    a_hour = _ar1(rng_wind, n, climate.wind_hour_ar1)
    r_site = climate.wind_site_correlation
    if r_site < 1.0:  # regional pattern + a site's own AR(1): still unit-variance AR(1)
        local = _ar1(np.random.default_rng([int(seed), _site_key(site)]), n, climate.wind_hour_ar1)
        a_hour = math.sqrt(r_site) * a_hour + math.sqrt(1.0 - r_site) * local
    a_hour = a_hour - _group_mean(a_hour, year_code, len(years))
    cloud_h = _daily_to_hourly(c_day, day_pos, climate.cloud_day_ar1)
    g = math.sqrt(1.0 - rho * rho) * a_hour - rho * cloud_h
    u = np.clip(special.ndtr(g), 1e-12, 1.0 - 1e-12)
    k = climate.wind_weibull_k
    monthly = np.asarray(climate.wind_monthly_factor, dtype=float)
    season = _seasonal(tuple(monthly / monthly.mean()), doy)
    diurnal = 1.0 + climate.wind_diurnal_amplitude * np.cos(
        2.0 * np.pi * (solar_hour - climate.wind_max_solar_hour) / 24.0
    )
    year_factor = np.exp(
        climate.wind_year_sd * rng_wind.standard_normal(len(years)) - 0.5 * climate.wind_year_sd**2
    )[year_code]
    scale = climate.wind_mean_ms * season * diurnal * year_factor / special.gamma(1.0 + 1.0 / k)
    wind = scale * (-np.log1p(-u)) ** (1.0 / k)

    out = pd.DataFrame(
        {
            "ghi": ghi[take],
            "dni": dni[take],
            "dhi": dhi[take],
            "temp_air": temp_air[take],
            "wind_speed": wind[take],
        },
        index=index,
    )
    out.attrs.update(
        {
            "source": "synthetic",
            "seed": int(seed),
            "latitude": site.latitude_deg,
            "longitude": site.longitude_deg,
            "altitude": site.altitude_m,
            "wind_height_m": float(climate.wind_ref_height_m),
        }
    )
    return out


def _group_mean(x: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean of ``x`` over each group, broadcast back to ``x``'s positions."""
    sums = np.bincount(codes, weights=x, minlength=n_groups)
    counts = np.bincount(codes, minlength=n_groups)
    return (sums / np.maximum(counts, 1))[codes]
