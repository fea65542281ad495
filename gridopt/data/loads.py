"""Industrial and city load profiles: pure functions of physical parameters [MW].

Each function takes the scenario's hourly index and returns an hourly pandas Series of power
[MW] on it. The figures and their sources are in ``/work/shared/DOMAIN.md`` ("Industrial
loads"); every default below is either sourced there or labelled **assumption**. The
formulas are given in each docstring and in ``docs/data_loads.md``.

Energy convention
-----------------
A rate in tonnes per year means tonnes per 8,760 hours, so the mean power is

    P_mean [MW] = output [t/yr] * kwh_per_t [kWh/t] / 1000 [kWh/MWh] / 8760 [h]

and a leap year carries one more day of production. For the smelter, the steel works and the
city, the hourly shape is scaled so that its mean over every *calendar year* (local time)
equals ``P_mean``: a full calendar-year horizon sums to ``P_mean * hours_in_year`` exactly,
and a shorter horizon gets the same hourly values as the corresponding hours of a full-year
run (a winter week is a winter week, not rescaled to the annual mean). Graphitisation is a
batch process: it is exact per batch and per whole furnace cycle instead (see its docstring).

Each function is registered as a generator of the same name, with the same parameters, for
scenario files: ``p_mw: {generator: aluminium_smelter, capacity_t_per_yr: 1350000}``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from pydantic import ConfigDict, Field

from gridopt.data.clock import HOURS_PER_YEAR
from gridopt.data.generators import GeneratorContext, Params, generator, parse_params
from gridopt.errors import InputError, Problem
from gridopt.lazy_import import lazy_module

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)


EPOCH = "2000-01-01 00:00"
"""Local clock time from which batch cycles are counted (graphitisation furnace phases)."""

# Typical weekday shape of a northern Chinese city's residential + commercial load, one value
# per local clock hour 00..23, relative units (mean 0.94). **Assumption**: night trough 0.61
# at 03-04 (0.65 of the mean), a morning peak at 09-10 (offices and shops open), a lunch dip at 13,
# the daily maximum at 20 (lighting, cooking, television; solar noon is near 13:30 clock time
# here, so evenings fall late on the clock).
CITY_DAILY_SHAPE = (
    0.74, 0.68, 0.64, 0.61, 0.61, 0.64, 0.74, 0.88,
    1.00, 1.07, 1.07, 1.03, 0.97, 0.93, 0.96, 0.98,
    1.00, 1.06, 1.17, 1.27, 1.31, 1.25, 1.08, 0.89,
)  # fmt: skip


def _check_index(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(f"index must be a pandas DatetimeIndex, got {type(index).__name__}")
    return index


def _positive(name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")


def _fraction(name: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")


def mean_power_mw(output_per_yr: float, kwh_per_unit: float) -> float:
    """Mean power of a plant that makes ``output_per_yr`` units a year [MW].

    P_mean = output_per_yr * kwh_per_unit / 1000 / 8760.
    ``mean_power_mw(1.35e6, 13500)`` is 2080.479... MW (Jiayuguan aluminium, DOMAIN.md).
    """
    return output_per_yr * kwh_per_unit / 1000.0 / HOURS_PER_YEAR


def _year_index(year: int, tz) -> pd.DatetimeIndex:
    start = pd.Timestamp(year=year, month=1, day=1)
    end = pd.Timestamp(year=year + 1, month=1, day=1)
    if tz is not None:
        start, end = start.tz_localize(tz), end.tz_localize(tz)
    return pd.date_range(start, end, freq="h", inclusive="left")


def _per_calendar_year(
    index: pd.DatetimeIndex,
    raw: Callable[[pd.DatetimeIndex], np.ndarray],
    reduce: Callable[[np.ndarray], float] = np.mean,
) -> np.ndarray:
    """``raw`` on each calendar year touched by ``index``, divided by ``reduce`` over that year.

    ``raw`` is evaluated on the full year (so seeded noise is the same for an hour whatever
    the horizon) and the values at the hours of ``index`` (floored to the hour) are returned.
    """
    out = np.empty(len(index))
    years = np.asarray(index.year)
    hours = index.floor("h")
    for year in np.unique(years):
        full = _year_index(int(year), index.tz)
        values = np.asarray(raw(full), dtype=float)
        sel = years == year
        out[sel] = values[full.get_indexer(hours[sel])] / reduce(values)
    return out


def _series(index: pd.DatetimeIndex, values: np.ndarray) -> pd.Series:
    s = pd.Series(np.asarray(values, dtype=float), index=index, name="p_mw")
    s.attrs["units"] = "MW"
    return s


def aluminium_smelter(
    index: pd.DatetimeIndex,
    capacity_t_per_yr: float,
    kwh_per_t: float = 13_500.0,
    availability: float = 1.0,
    noise_pu: float = 0.01,
    seed: int = 0,
) -> pd.Series:
    r"""Aluminium smelter (potlines): a nearly flat load [MW].

    .. math::

        P(t) = P_{mean} \, a \, \frac{1 + n\,u_t}{\overline{1 + n\,u}}, \qquad
        P_{mean} = \frac{C \, e}{1000 \cdot 8760}

    with :math:`u_t` uniform on [-1, 1], drawn per calendar year from ``seed`` and the year
    (the overline is its mean over that calendar year, so the noise adds no energy).

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly timestamps of the horizon (time-zone-aware, normally Asia/Shanghai).
    capacity_t_per_yr : float
        Primary aluminium production capacity C [t/yr]. Jiayuguan: 1.35e6 t/yr (2021, city
        release; DOMAIN.md).
    kwh_per_t : float, default 13500
        Electricity per tonne e, all-in AC [kWh/t]. China average 12,875 (IAI, 2015); all-in
        AC 13,599 (2016, industry press); 13,500 is **assumption**, between the two and just
        under the 2021 tiered-tariff threshold of 13,650 (NDRC 2021 No. 1239).
    availability : float, default 1.0
        Utilisation a: production as a fraction of capacity [-]. 1.0 (**assumption**:
        smelters run at capacity; pots are not stopped for price reasons).
    noise_pu : float, default 0.01
        Half-width n of the uniform hourly variation [pu of the mean]. **Assumption**: a
        potline's hourly power varies by about +-1 % (anode effects, pot tending, line
        current control); 0 gives a flat line.
    seed : int, default 0
        Seed of the noise; the same seed gives the same profile.

    Returns
    -------
    pandas.Series
        Power drawn [MW] on ``index``, named ``p_mw``. Over each full calendar year the
        mean is exactly :math:`a P_{mean}`: 1.35 Mt/yr at 13,500 kWh/t gives
        1.35e6 * 13500 / 1000 / 8760 = 2080.5 MW, 18.225 TWh per 8,760 h.

    Notes
    -----
    Flexibility (+-10 % for hours, -20 % up to about 4 h; DOMAIN.md) is a dispatch decision
    of the model, not part of this baseline profile.
    """
    _check_index(index)
    _positive("capacity_t_per_yr", capacity_t_per_yr)
    _positive("kwh_per_t", kwh_per_t)
    if not 0 < availability <= 1:
        raise ValueError(f"availability must be in (0, 1], got {availability!r}")
    if not 0 <= noise_pu < 1:
        raise ValueError(f"noise_pu must be in [0, 1), got {noise_pu!r}")

    def raw(year_index: pd.DatetimeIndex) -> np.ndarray:
        rng = np.random.default_rng([seed, year_index[0].year])
        return 1.0 + noise_pu * rng.uniform(-1.0, 1.0, len(year_index))

    p_mean = mean_power_mw(capacity_t_per_yr, kwh_per_t) * availability
    return _series(index, p_mean * _per_calendar_year(index, raw))


def steel_works(
    index: pd.DatetimeIndex,
    crude_steel_t_per_yr: float,
    kwh_per_t: float = 500.0,
    mill_share: float = 0.3,
    mill_day_hours: tuple[int, int] = (8, 20),
    mill_night_pu: float = 0.5,
    mill_rest_weekday: int = 6,
    mill_rest_pu: float = 0.3,
) -> pd.Series:
    r"""Integrated blast-furnace steel works: continuous base plus a rolling-mill pattern [MW].

    .. math::

        P(t) = P_{mean} \left[(1 - s) + s \, \frac{m(t)}{\overline{m}}\right], \qquad
        m(t) = d(h_t) \, w(k_t), \qquad P_{mean} = \frac{Q \, e}{1000 \cdot 8760}

    where :math:`h_t` is the local clock hour, :math:`k_t` the weekday (0 = Monday),
    :math:`d(h) = 1` within ``mill_day_hours`` and ``mill_night_pu`` outside,
    :math:`w(k) = 1` except ``mill_rest_pu`` on ``mill_rest_weekday``, and
    :math:`\overline{m}` the mean of m over the calendar year.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly timestamps of the horizon.
    crude_steel_t_per_yr : float
        Crude steel output Q [t/yr]. DOMAIN.md's **assumption** of about 400 MW for JISCO
        steel at 500 kWh/t corresponds to about 7e6 t/yr (inferred, not a sourced output).
    kwh_per_t : float, default 500
        Electricity per tonne of crude steel e, blast-furnace route [kWh/t]
        (**assumption**: 450-550 kWh/t, DOMAIN.md).
    mill_share : float, default 0.3
        Share s of the annual energy drawn by rolling mills and other shift-worked
        finishing lines [-] (**assumption**; the rest - blast-furnace blowers, oxygen plant,
        sinter, converters, pumps - runs around the clock).
    mill_day_hours : (int, int), default (8, 20)
        Local clock hours [start, end) in which the mills run at full rate [h]
        (**assumption**: day shifts; night shifts at reduced throughput).
    mill_night_pu : float, default 0.5
        Mill rate outside ``mill_day_hours`` relative to day [pu] (**assumption**).
    mill_rest_weekday : int, default 6
        Weekday of the weekly roll change and maintenance stop, 0 = Monday ... 6 = Sunday
        (**assumption**).
    mill_rest_pu : float, default 0.3
        Mill rate on the rest day relative to a working day [pu] (**assumption**).

    Returns
    -------
    pandas.Series
        Power drawn [MW]; mean over each calendar year exactly :math:`P_{mean}`
        (7e6 t/yr * 500 kWh/t / 1000 / 8760 = 399.5 MW).
    """
    _check_index(index)
    _positive("crude_steel_t_per_yr", crude_steel_t_per_yr)
    _positive("kwh_per_t", kwh_per_t)
    _fraction("mill_share", mill_share)
    _fraction("mill_night_pu", mill_night_pu)
    _fraction("mill_rest_pu", mill_rest_pu)
    start_h, end_h = mill_day_hours
    if not 0 <= start_h < end_h <= 24:
        raise ValueError(
            f"mill_day_hours must be (start, end) with 0 <= start < end <= 24, got {mill_day_hours!r}"
        )
    if mill_rest_weekday not in range(7):
        raise ValueError(
            f"mill_rest_weekday must be 0 (Monday) .. 6 (Sunday), got {mill_rest_weekday!r}"
        )

    def mill(idx: pd.DatetimeIndex) -> np.ndarray:
        hour, weekday = np.asarray(idx.hour), np.asarray(idx.day_of_week)
        day = np.where((hour >= start_h) & (hour < end_h), 1.0, mill_night_pu)
        return day * np.where(weekday == mill_rest_weekday, mill_rest_pu, 1.0)

    shape = (1.0 - mill_share) + mill_share * _per_calendar_year(index, mill)
    return _series(index, mean_power_mw(crude_steel_t_per_yr, kwh_per_t) * shape)


def graphitisation(
    index: pd.DatetimeIndex,
    output_t_per_yr: float,
    kwh_per_t: float = 13_000.0,
    n_furnaces: int = 24,
    cycle_h: int = 438,
    heating_h: int = 72,
    ramp_h: int = 48,
    start_pu: float = 0.3,
    phase_h: int = 0,
) -> pd.Series:
    r"""Graphitisation in Acheson furnaces: staggered batch heating cycles [MW].

    Each furnace repeats a cycle of ``cycle_h`` hours: ``heating_h`` hours under power, then
    no power while it cools, is unloaded and reloaded. Under power it ramps linearly from
    ``start_pu`` to full power over the first ``ramp_h`` hours and holds full power to the end
    of heating. Furnace k (0-based) starts heating at hour
    :math:`\phi_k = \text{phase\_h} + \text{round}(k \cdot \text{cycle\_h} / n)` of its cycle,
    counted from 2000-01-01 00:00 local time, so the furnaces are evenly staggered and the
    pattern does not depend on where the horizon starts.

    .. math::

        \tau_k(t) = (t - \phi_k) \bmod T, \qquad
        f(j) = p_0 + (1 - p_0) \min\!\left(1, \frac{j + 1/2}{R}\right), \quad j = 0..H-1

        P(t) = \sum_k \hat P \, f(\tau_k(t)) \, [\tau_k(t) < H], \qquad
        \hat P = \frac{E_{batch}}{\sum_{j<H} f(j)}, \qquad
        E_{batch} = \frac{Q \, e}{1000} \cdot \frac{T}{8760 \, n}

    (T = ``cycle_h``, H = ``heating_h``, R = ``ramp_h``, p0 = ``start_pu``,
    Q = ``output_t_per_yr``, e = ``kwh_per_t``; f(j) is taken at mid-hour).

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly timestamps of the horizon.
    output_t_per_yr : float
        Graphitised product Q [t/yr]. Sunstone Jiayuguan: 200 kt/yr battery-anode material
        (Gansu press 2023; DOMAIN.md).
    kwh_per_t : float, default 13000
        Electricity per tonne of product e [kWh/t]; DOMAIN.md gives 8,000-14,000 kWh/t.
        13,000 is **assumption**: it makes 200 kt/yr draw 296.8 MW on average, DOMAIN.md's
        assumed Sunstone load of about 300 MW.
    n_furnaces : int, default 24
        Number of furnaces (or groups of furnaces powered together) n [-] (**assumption**).
    cycle_h : int, default 438
        Full furnace cycle T: heating + cooling + unloading + loading [h]. 438 h = 18.25 d is
        **assumption** (Acheson cycles run a few days under power and about two weeks of
        cooling), chosen to divide 8,760 h into exactly 20 cycles.
    heating_h : int, default 72
        Hours under power per cycle H [h] (**assumption**: about 3 days).
    ramp_h : int, default 48
        Hours over which power rises from ``start_pu`` to full R [h] (**assumption**: the
        charge's resistance falls as it heats, and the power is raised along a set curve).
        0 gives full power from the first hour.
    start_pu : float, default 0.3
        Power in the first hour relative to full power p0 [pu] (**assumption**).
    phase_h : int, default 0
        Shift of all furnace cycles [h]; use it to move the batch pattern in time.

    Returns
    -------
    pandas.Series
        Power drawn [MW].

    Notes
    -----
    Energy is exact per batch (each furnace's heating draws :math:`E_{batch}`) and over any
    ``cycle_h`` consecutive hours (:math:`n \, E_{batch}`), so over any 8,760 consecutive
    hours when ``cycle_h`` divides 8,760 (as the default does): 200 kt/yr at 13,000 kWh/t is
    2.6 TWh. With other cycle lengths a calendar year holds a fraction of a cycle more or
    less and its energy differs slightly from the nominal. With the defaults each furnace
    batch is 200000 * 438 / 8760 / 24 = 416.7 t, 5,416.7 MWh, with a full power of
    5416.7 / 55.2 = 98.1 MW; about 24 * 72 / 438 = 3.9 furnaces are under power at a time.
    Shifting the batches within a day (DOMAIN.md) is a dispatch decision of the model.
    """
    _check_index(index)
    _positive("output_t_per_yr", output_t_per_yr)
    _positive("kwh_per_t", kwh_per_t)
    for name, value in (("n_furnaces", n_furnaces), ("cycle_h", cycle_h), ("heating_h", heating_h)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    if heating_h > cycle_h:
        raise ValueError(f"heating_h ({heating_h}) must not exceed cycle_h ({cycle_h})")
    if int(ramp_h) != ramp_h or not 0 <= ramp_h <= heating_h:
        raise ValueError(f"ramp_h must be a whole number between 0 and heating_h, got {ramp_h!r}")
    _fraction("start_pu", start_pu)
    n, T, H = int(n_furnaces), int(cycle_h), int(heating_h)

    j = np.arange(H) + 0.5
    f = start_pu + (1.0 - start_pu) * (np.minimum(1.0, j / ramp_h) if ramp_h > 0 else np.ones(H))
    e_batch_mwh = output_t_per_yr * kwh_per_t / 1000.0 * T / (HOURS_PER_YEAR * n)
    curve = np.zeros(T)
    curve[:H] = e_batch_mwh / f.sum() * f  # one furnace over its cycle [MW]

    epoch = pd.Timestamp(EPOCH)
    if index.tz is not None:
        epoch = epoch.tz_localize(index.tz)
    t = np.asarray((index - epoch) // pd.Timedelta(hours=1), dtype=np.int64)
    phases = int(phase_h) + np.rint(np.arange(n) * T / n).astype(np.int64)
    tau = (t[:, None] - phases[None, :]) % T
    return _series(index, curve[tau].sum(axis=1))


def city_load(
    index: pd.DatetimeIndex,
    annual_energy_mwh: float | None = None,
    peak_mw: float | None = None,
    winter_pu: float = 0.10,
    summer_pu: float = 0.05,
    weekend_pu: float = 0.95,
    daily_shape: Sequence[float] = CITY_DAILY_SHAPE,
) -> pd.Series:
    r"""City load (residential + commercial): daily peaks and a seasonal swing [MW].

    .. math::

        r(t) = d(h_t) \, w(k_t) \, \left[1 + a_w \cos\theta_t + a_s \cos 2\theta_t\right],
        \qquad \theta_t = 2\pi \, \frac{\text{doy}_t - 15}{N_{days}}

    where d is ``daily_shape`` by local clock hour :math:`h_t`, w = ``weekend_pu`` on
    Saturday and Sunday and 1 otherwise, doy is the fractional day of year (1.0 = Jan 1
    00:00), :math:`N_{days}` = 365 or 366. The first harmonic peaks in mid-January
    (heating, long evenings); the second lifts mid-summer (cooling) and mid-winter and
    lowers spring and autumn. With the defaults the January mean is about 1.24 times the
    May and September means (the lowest months) and July about 1.03 times. Then

    - with ``annual_energy_mwh`` E: :math:`P = (E / 8760) \, r / \overline{r}`, where
      :math:`\overline{r}` is the mean of r over the calendar year;
    - with ``peak_mw`` P_max: :math:`P = P_{max} \, r / \max r`, the maximum over the
      calendar year.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Hourly timestamps of the horizon (local clock hours drive the daily shape).
    annual_energy_mwh : float, optional
        Energy per 8,760 h [MWh/yr]. Give this or ``peak_mw``, not both.
    peak_mw : float, optional
        Highest hourly load of each calendar year [MW].
    winter_pu : float, default 0.10
        First-harmonic amplitude a_w [pu] (**assumption**: Jiayuguan/Jiuquan heat mostly with
        coal-fired district heating, so electric winter load is only moderately higher).
    summer_pu : float, default 0.05
        Second-harmonic amplitude a_s [pu] (**assumption**: a dry, high (1,600 m) site with
        mild summers and little air conditioning).
    weekend_pu : float, default 0.95
        Saturday and Sunday load relative to weekdays [pu] (**assumption**: offices and
        some commerce closed, homes busier).
    daily_shape : sequence of 24 floats, default ``CITY_DAILY_SHAPE``
        Relative load by local clock hour 00..23 (any scale) [-]. The default
        (**assumption**) has its trough at 03-04 (0.61), a morning peak at 09-10 (1.07), a
        lunch dip at 13 (0.93) and the daily maximum at 20 (1.31).

    Returns
    -------
    pandas.Series
        Power drawn [MW]. With the defaults the load factor (mean / peak) is about 0.62.
    """
    _check_index(index)
    if (annual_energy_mwh is None) == (peak_mw is None):
        raise ValueError("give exactly one of annual_energy_mwh and peak_mw")
    if peak_mw is None:
        _positive("annual_energy_mwh", annual_energy_mwh)
    else:
        _positive("peak_mw", peak_mw)
    shape = np.asarray(daily_shape, dtype=float)
    if (
        shape.shape != (24,)
        or not np.all(np.isfinite(shape))
        or shape.min() < 0
        or shape.max() <= 0
    ):
        raise ValueError("daily_shape must be 24 finite values >= 0, not all zero")
    if not (0 <= weekend_pu and abs(winter_pu) + abs(summer_pu) < 1):
        raise ValueError("need weekend_pu >= 0 and |winter_pu| + |summer_pu| < 1")

    def raw(idx: pd.DatetimeIndex) -> np.ndarray:
        doy = np.asarray(idx.day_of_year - 1 + idx.hour / 24.0, dtype=float) + 1.0
        n_days = np.where(np.asarray(idx.is_leap_year), 366.0, 365.0)
        theta = 2 * np.pi * (doy - 15.0) / n_days
        season = 1.0 + winter_pu * np.cos(theta) + summer_pu * np.cos(2 * theta)
        week = np.where(np.asarray(idx.day_of_week) >= 5, weekend_pu, 1.0)
        return shape[np.asarray(idx.hour)] * week * season

    if peak_mw is not None:
        return _series(index, peak_mw * _per_calendar_year(index, raw, np.max))
    return _series(index, annual_energy_mwh / HOURS_PER_YEAR * _per_calendar_year(index, raw))


# --- generators for scenario files -------------------------------------------------------
# Parameters left out take the function's default (defaults live in one place: the
# function signatures above). Ranges are checked here so a message names the scenario field;
# rules across parameters are checked by the function and reported at the field itself.


class _LoadParams(Params):
    model_config = ConfigDict(extra="forbid", frozen=True)  # descriptions: Params


class AluminiumSmelterParams(_LoadParams):
    capacity_t_per_yr: float = Field(gt=0)
    """Production capacity [t/yr]."""
    kwh_per_t: float | None = Field(None, gt=0)
    """Electricity per tonne [kWh/t] (default 13500)."""
    availability: float | None = Field(None, gt=0, le=1)
    """Production as a fraction of capacity [-] (default 1)."""
    noise_pu: float | None = Field(None, ge=0, lt=1)
    """Half-width of the uniform hourly variation [pu] (default 0.01)."""
    seed: int | None = None
    """Seed of the noise (default 0)."""


class SteelWorksParams(_LoadParams):
    crude_steel_t_per_yr: float = Field(gt=0)
    """Crude steel output [t/yr]."""
    kwh_per_t: float | None = Field(None, gt=0)
    """Electricity per tonne of crude steel [kWh/t] (default 500)."""
    mill_share: float | None = Field(None, ge=0, le=1)
    """Share of energy used by the shift-worked rolling mills [-] (default 0.3)."""
    mill_day_hours: tuple[int, int] | None = None
    """Local clock hours [start, end) of full mill rate (default [8, 20])."""
    mill_night_pu: float | None = Field(None, ge=0, le=1)
    """Mill rate at night relative to day [pu] (default 0.5)."""
    mill_rest_weekday: int | None = Field(None, ge=0, le=6)
    """Weekday of the weekly mill maintenance stop, 0 = Monday (default 6, Sunday)."""
    mill_rest_pu: float | None = Field(None, ge=0, le=1)
    """Mill rate on the rest day [pu] (default 0.3)."""


class GraphitisationParams(_LoadParams):
    output_t_per_yr: float = Field(gt=0)
    """Graphitised product [t/yr]."""
    kwh_per_t: float | None = Field(None, gt=0)
    """Electricity per tonne of product [kWh/t] (default 13000)."""
    n_furnaces: int | None = Field(None, ge=1)
    """Number of staggered furnaces or furnace groups (default 24)."""
    cycle_h: int | None = Field(None, ge=1)
    """Full furnace cycle [h] (default 438)."""
    heating_h: int | None = Field(None, ge=1)
    """Hours under power per cycle [h] (default 72)."""
    ramp_h: int | None = Field(None, ge=0)
    """Hours of the power ramp at the start of heating [h] (default 48)."""
    start_pu: float | None = Field(None, ge=0, le=1)
    """Power in the first heating hour relative to full power [pu] (default 0.3)."""
    phase_h: int | None = None
    """Shift of all furnace cycles [h] (default 0)."""


class CityLoadParams(_LoadParams):
    annual_energy_mwh: float | None = Field(None, gt=0)
    """Energy per 8,760 h [MWh/yr]; give this or peak_mw."""
    peak_mw: float | None = Field(None, gt=0)
    """Highest hourly load of the year [MW]; give this or annual_energy_mwh."""
    winter_pu: float | None = Field(None, ge=0, lt=0.5)
    """Winter (first-harmonic) seasonal amplitude [pu] (default 0.10)."""
    summer_pu: float | None = Field(None, ge=0, lt=0.5)
    """Summer (second-harmonic) seasonal amplitude [pu] (default 0.05)."""
    weekend_pu: float | None = Field(None, ge=0)
    """Weekend load relative to weekdays [pu] (default 0.95)."""
    daily_shape: list[float] | None = Field(None, min_length=24, max_length=24)
    """24 relative values by local clock hour (default: a typical city day)."""


_FUNCTIONS: dict[str, tuple[Callable[..., pd.Series], type[_LoadParams]]] = {
    "aluminium_smelter": (aluminium_smelter, AluminiumSmelterParams),
    "steel_works": (steel_works, SteelWorksParams),
    "graphitisation": (graphitisation, GraphitisationParams),
    "city_load": (city_load, CityLoadParams),
}


def _register(name: str) -> None:
    func, model = _FUNCTIONS[name]

    def gen(ctx: GeneratorContext, params: dict) -> np.ndarray:
        p = parse_params(model, ctx, params)
        try:
            return func(ctx.index, **p.model_dump(exclude_none=True)).to_numpy()
        except ValueError as exc:  # a rule across parameters (heating_h <= cycle_h, ...)
            raise InputError(
                Problem(
                    ctx.where, str(exc), fix=f"see the parameters of {name} in docs/data_loads.md"
                )
            ) from None

    gen.__name__ = f"{name}_generator"
    gen.__doc__ = f"Scenario generator for :func:`gridopt.data.loads.{name}` [MW]."
    generator(name)(gen)  # cached by its parameters (gridopt.data.generators.DECLARED)


for _name in _FUNCTIONS:
    _register(_name)
