"""Simple built-in hourly profiles: enough for small test scenarios, with no weather data.

These are shapes, not weather: the realistic weather-to-power models live in
:mod:`gridopt.data.solar` and :mod:`gridopt.data.wind`.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from gridopt.data.generators import GeneratorContext, Params, generator, parse_params

MAX_BASE = 1e6
"""Largest magnitude of a shape's base value (MW or CNY/MWh, by the field it fills)."""


def _hour_of_day(hours) -> np.ndarray:
    return np.asarray(hours.hour, dtype=float)


class SolarSimple(Params):
    peak_pu: float = Field(0.85, ge=0, le=1)
    sunrise_h: float = Field(7.5, ge=0, le=24)
    sunset_h: float = Field(19.5, ge=0, le=24)

    @model_validator(mode="after")
    def _day(self) -> SolarSimple:
        if self.sunset_h <= self.sunrise_h:
            raise ValueError("sunset_h must be after sunrise_h")
        return self


@generator("solar_simple")
def solar_simple(ctx: GeneratorContext, params: dict) -> np.ndarray:
    """Half-sine between sunrise and sunset [pu].

    p(h) = peak_pu * sin(pi * (h + 0.5 - sunrise) / (sunset - sunrise)) for sunrise <= h + 0.5 <= sunset,
    else 0, with h the local clock hour (the value is taken at mid-hour).
    """
    p = parse_params(SolarSimple, ctx, params)
    h = _hour_of_day(ctx.hours) + 0.5
    x = (h - p.sunrise_h) / (p.sunset_h - p.sunrise_h)
    return np.where((x > 0) & (x < 1), p.peak_pu * np.sin(np.pi * np.clip(x, 0, 1)), 0.0)


class WindSimple(Params):
    mean_pu: float = Field(0.32, ge=0, le=1)
    amplitude_pu: float = Field(0.2, ge=0, le=1)
    period_h: float = Field(61.0, gt=0, le=8784)
    seed: int = 0
    noise_pu: float = Field(0.05, ge=0, le=1)


@generator("wind_simple")
def wind_simple(ctx: GeneratorContext, params: dict) -> np.ndarray:
    """A slow sinusoid plus seeded noise, clipped to [0, 1] [pu].

    p(t) = clip(mean + amplitude * sin(2 pi t / period) + noise_t, 0, 1), noise ~ N(0, noise_pu).
    """
    p = parse_params(WindSimple, ctx, params)
    t = np.arange(len(ctx.hours), dtype=float)
    rng = np.random.default_rng(p.seed)
    noise = rng.normal(0.0, p.noise_pu, len(t)) if p.noise_pu > 0 else 0.0
    return np.clip(p.mean_pu + p.amplitude_pu * np.sin(2 * np.pi * t / p.period_h) + noise, 0, 1)


class DailyShape(Params):
    base: float = Field(ge=-MAX_BASE, le=MAX_BASE)
    shape: list[Annotated[float, Field(ge=0, le=100)]]  # 24 multipliers, one per clock hour


@generator("daily_shape")
def daily_shape(ctx: GeneratorContext, params: dict) -> np.ndarray:
    """base * shape[hour of day]: a typical day repeated over the horizon [unit of base]."""
    p = parse_params(DailyShape, ctx, params)
    if len(p.shape) != 24:
        from gridopt.errors import InputError, Problem

        raise InputError(
            Problem(f"{ctx.where}.shape", "needs 24 values, one per hour", len(p.shape))
        )
    return p.base * np.asarray(p.shape)[ctx.hours.hour]


# Gansu time-of-use periods from 2024-08-01 (Gansu DRC 2024 No. 424, see docs/assumptions.md):
# peak 06-08 and 18-23 (7 h), valley 10-16 (6 h), flat the other 11 h.
GANSU_TOU_PERIOD = np.array(
    ["flat"] * 6
    + ["peak"] * 2
    + ["flat"] * 2
    + ["valley"] * 6
    + ["flat"] * 2
    + ["peak"] * 5
    + ["flat"]
)


def tou_period(hours) -> np.ndarray:
    """Gansu time-of-use period ('peak' | 'flat' | 'valley') of each local clock hour of
    ``hours`` (anything with an ``hour`` array: :class:`gridopt.data.clock.Hours`, a pandas
    DatetimeIndex)."""
    return GANSU_TOU_PERIOD[np.asarray(hours.hour)]


class TouPrice(Params):
    flat_cny_per_mwh: float = Field(ge=-MAX_BASE, le=MAX_BASE)
    peak_ratio: float = Field(1.5, ge=0, le=100)
    valley_ratio: float = Field(0.5, ge=0, le=100)
    offset_cny_per_mwh: float = Field(0.0, ge=-MAX_BASE, le=MAX_BASE)


@generator("gansu_tou")
def gansu_tou(ctx: GeneratorContext, params: dict) -> np.ndarray:
    """Hourly price on the Gansu time-of-use periods [CNY/MWh].

    price = flat * ratio(period) + offset, ratio = peak_ratio | 1 | valley_ratio.
    With the defaults peak:valley = 3:1, the minimum of Gansu DRC 2024 No. 424.
    """
    p = parse_params(TouPrice, ctx, params)
    period = tou_period(ctx.hours)
    ratio = np.where(
        period == "peak", p.peak_ratio, np.where(period == "valley", p.valley_ratio, 1.0)
    )
    return p.flat_cny_per_mwh * ratio + p.offset_cny_per_mwh


class MonthlyShape(Params):
    base: float = Field(ge=-MAX_BASE, le=MAX_BASE)
    shape: list[Annotated[float, Field(ge=0, le=100)]]  # 12 multipliers, January first


@generator("monthly_shape")
def monthly_shape(ctx: GeneratorContext, params: dict) -> np.ndarray:
    """base * shape[month - 1]: a value per calendar month, e.g. heat-supply must-run [unit of base]."""
    p = parse_params(MonthlyShape, ctx, params)
    if len(p.shape) != 12:
        from gridopt.errors import InputError, Problem

        raise InputError(
            Problem(f"{ctx.where}.shape", "needs 12 values, January first", len(p.shape))
        )
    return p.base * np.asarray(p.shape)[np.asarray(ctx.hours.month) - 1]
