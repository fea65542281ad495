"""PV and wind power from weather: hand-worked cases, calibration, generators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from gridopt.data import weather as W
from gridopt.data.generators import GENERATORS, GeneratorContext, Site
from gridopt.data.solar import default_tilt_deg, pv_power_pu
from gridopt.data.weather import (
    GUAZHOU_YUMEN_WIND,
    JIAYUGUAN,
    read_weather,
    synthetic_weather,
)
from gridopt.data.wind import (
    air_density,
    hub_wind_speed,
    turbine_power_curve,
    turbine_types,
    wind_power_pu,
)
from gridopt.errors import InputError

TMY3 = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"
YEAR = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Asia/Shanghai")
CALIBRATION_SEEDS = range(10)

# DOMAIN.md calibration targets [full-load hours per year]
WIND_RANGE = (2600, 3000)
PV_FIXED_RANGE = (1550, 1650)
PV_TRACKING_RANGE = (1750, 1900)


# --------------------------------------------------------------------------------------------
# PV worked by hand
# --------------------------------------------------------------------------------------------

EQUINOX_SITE = Site("equinox", 40.0, 120.0, 0.0, "Asia/Shanghai")


def noon_weather(temp_air: float, dni: float = 800.0) -> pd.DataFrame:
    """One hour whose middle (12:08 +08:00, 2025-03-20) is solar noon at 40 N 120 E.

    Apparent zenith there is 40.07 deg (declination about -0.08 deg), so a 40-deg
    south-facing plane has an angle of incidence of about 0.07 deg: cos = 1.0000.
    Pure beam (dhi = 0) and zero albedo keep the sky and ground terms at 0.
    """
    idx = pd.DatetimeIndex([pd.Timestamp("2025-03-20 11:38", tz="Asia/Shanghai")])
    cosz = np.cos(np.radians(40.07))
    df = pd.DataFrame(
        {
            "ghi": [dni * cosz],
            "dni": [dni],
            "dhi": [0.0],
            "temp_air": [temp_air],
            "wind_speed": [0.0],
        },
        index=idx,
    )
    df.attrs["wind_height_m"] = 10.0
    return df


def test_pv_clear_sky_noon_at_equinox_by_hand():
    """Fixed 40 deg tilt facing south at 40 N, solar noon, DNI 800 W/m2, 25 degC, calm.

    POA = 800 x cos(0.07 deg) = 800.0 W/m2; physical IAM at 0 deg = 1.
    Cell temperature (SAPM open rack glass/polymer: a=-3.56, b=-0.075, dT=3):
        T_mod = 800 exp(-3.56) + 25 = 800 x 0.028445 + 25 = 47.756 degC
        T_cell = 47.756 + 800/1000 x 3 = 50.151 degC
    PVWatts DC per MW AC with dc_ac_ratio 1.2 and gamma -0.0035/degC:
        1.2 x 0.8 x (1 - 0.0035 x 25.151) = 0.96 x 0.91197 = 0.87549
        after 14 % losses: 0.87549 x 0.86 = 0.75292
    PVWatts inverter, pdc0 = 1/0.96 = 1.04167: zeta = 0.75292/1.04167 = 0.72281
        eta = 0.96/0.9637 x (-0.0162 zeta - 0.0059/zeta + 0.9858) = 0.96222
        AC = 0.96222 x 0.75292 = 0.72448 pu
    """
    pu = pv_power_pu(noon_weather(25.0), EQUINOX_SITE, tilt_deg=40.0, albedo=0.0)
    assert pu.iloc[0] == pytest.approx(0.72448, abs=2e-4)
    dc = pv_power_pu(
        noon_weather(25.0), EQUINOX_SITE, tilt_deg=40.0, albedo=0.0, capacity_basis="dc"
    )
    assert dc.iloc[0] == pytest.approx(0.72448 / 1.2, abs=2e-4)


def test_pv_temperature_derate_by_hand():
    """Same hour at -5 degC instead of 25 degC: the cell is 30 degC cooler.

    T_cell = 50.151 - 30 = 20.151 degC, so the DC factor is 1 - 0.0035 x (-4.849) = 1.01697
    DC = 0.96 x 1.01697 x 0.86 = 0.83961; zeta = 0.80603; eta = 0.96172; AC = 0.80747 pu.
    Ratio warm/cold = 0.72448 / 0.80747 = 0.8972 (DC alone: 0.91197/1.01697 = 0.8968).
    """
    warm = pv_power_pu(noon_weather(25.0), EQUINOX_SITE, tilt_deg=40.0, albedo=0.0).iloc[0]
    cold = pv_power_pu(noon_weather(-5.0), EQUINOX_SITE, tilt_deg=40.0, albedo=0.0).iloc[0]
    assert cold == pytest.approx(0.80747, abs=2e-4)
    assert warm / cold == pytest.approx(0.8972, abs=5e-4)
    # without a temperature coefficient both hours give the same power (to 1e-6: air
    # temperature also changes the refraction correction of the sun's position a little)
    flat = [
        pv_power_pu(
            noon_weather(t), EQUINOX_SITE, tilt_deg=40.0, albedo=0.0, gamma_pdc_per_c=0.0
        ).iloc[0]
        for t in (25.0, -5.0)
    ]
    assert flat[0] == pytest.approx(flat[1], rel=1e-6)


def test_pv_inverter_clipping():
    """DC/AC 1.5, DNI 1000 W/m2 at -20 degC: DC = 1.5 x 1.0 x 1.04746 x 0.86 = 1.3512 pu,
    above the inverter's DC input at rated AC (1/0.96 = 1.0417), so AC is clipped to 1.0."""
    pu = pv_power_pu(
        noon_weather(-20.0, dni=1000.0), EQUINOX_SITE, tilt_deg=40.0, albedo=0.0, dc_ac_ratio=1.5
    )
    assert pu.iloc[0] == 1.0
    year = synthetic_weather(JIAYUGUAN, YEAR, 0)
    for mount in ("fixed", "single_axis"):
        p = pv_power_pu(year, JIAYUGUAN, mount=mount, dc_ac_ratio=1.5)
        assert p.max() == 1.0 and p.min() >= 0.0
        assert (p == 1.0).sum() > 100  # clipping happens at 1.5, not by accident
    p = pv_power_pu(year, JIAYUGUAN)
    assert 0.9 < p.max() <= 1.0
    night = (year["ghi"] == 0).to_numpy()
    assert (p.to_numpy()[night] == 0).all()


def test_pv_tilt_default_and_single_axis_gain():
    assert default_tilt_deg(39.773) == pytest.approx(35.8)
    year = synthetic_weather(JIAYUGUAN, YEAR, 1)
    fixed = pv_power_pu(year, JIAYUGUAN).sum()
    tracking = pv_power_pu(year, JIAYUGUAN, mount="single_axis").sum()
    flat = pv_power_pu(year, JIAYUGUAN, tilt_deg=0.0).sum()
    assert flat < fixed < tracking
    assert 1.08 < tracking / fixed < 1.20


# --------------------------------------------------------------------------------------------
# wind worked by hand
# --------------------------------------------------------------------------------------------


def test_hub_height_extrapolation_by_hand():
    """6 m/s at 10 m to 90 m:
    power law, alpha 1/7: 6 x 9^(1/7) = 6 x 1.368738 = 8.21243 m/s;
    log law, z0 0.03 m: 6 x ln(90/0.03)/ln(10/0.03) = 6 x 8.006368/5.809143 = 8.26941 m/s."""
    v = np.array([6.0])
    assert hub_wind_speed(v, 10.0, 90.0)[0] == pytest.approx(8.21243, abs=1e-4)
    assert hub_wind_speed(v, 10.0, 90.0, shear="log", roughness_m=0.03)[0] == pytest.approx(
        8.26941, abs=1e-4
    )
    assert hub_wind_speed(v, 90.0, 90.0)[0] == pytest.approx(6.0)


def test_air_density_by_hand():
    """Jiayuguan, hub 90 m (1,750 m a.s.l.), 10 degC at 2 m:
    p = 101325 (1 - 2.25577e-5 x 1750)^5.25588 = 81,994 Pa;
    T_hub = 283.15 - 0.0065 x 88 = 282.578 K; rho = 81994 / (287.058 x 282.578) = 1.01082
    kg/m3, i.e. 0.825 of the 1.225 kg/m3 standard (DOMAIN.md: about 0.85 at 1,600 m)."""
    rho = air_density(1660.0, 10.0, hub_height_m=90.0)
    assert rho == pytest.approx(1.01082, abs=1e-4)
    assert 0.80 < air_density(1600.0, 6.0, hub_height_m=90.0) / 1.225 < 0.87


def test_power_curve_density_correction_by_hand():
    """VS112/2500 (oedb curve: 7 m/s 871.1 kW, 8 m/s 1,290.1 kW), hub wind 8.0 m/s,
    rho = 1.01082 kg/m3 (see above), no smoothing, no losses.

    Density correction stretches the curve's speeds by (1.225/rho)^p, 1.225/rho = 1.211887:
        7 m/s point, p = 1/3:               7 x 1.066156 = 7.46309 m/s
        8 m/s point, p = 8/15 - 1/6 = 0.36667: 8 x 1.073008 = 8.58406 m/s
    8.0 m/s lies 0.47897 of the way between: P = 871.1 + 0.47897 x 419.0 = 1,071.79 kW
    pu = 1071.79 / 2500 = 0.42872 (uncorrected: 1290.1/2500 = 0.51604).
    """
    speeds, power, rated = turbine_power_curve("VS112/2500")
    assert rated == 2.5e6 and power[list(speeds).index(8.0)] == 1290100.0
    idx = pd.DatetimeIndex([pd.Timestamp("2025-04-01 12:00", tz="Asia/Shanghai")])
    weather = pd.DataFrame(
        {"ghi": [0.0], "dni": [0.0], "dhi": [0.0], "temp_air": [10.0], "wind_speed": [8.0]},
        index=idx,
    )
    kw = dict(
        turbine="VS112/2500",
        hub_height_m=90.0,
        measurement_height_m=90.0,
        wake_loss_fraction=0.0,
        availability_fraction=1.0,
        losses_fraction=0.0,
        smoothing=False,
    )
    pu = wind_power_pu(weather, JIAYUGUAN, **kw)
    assert pu.iloc[0] == pytest.approx(0.42872, abs=2e-4)
    raw = wind_power_pu(weather, JIAYUGUAN, density_correction=False, **kw)
    assert raw.iloc[0] == pytest.approx(0.51604, abs=1e-5)
    # losses multiply: (1 - 0.07) x 0.97 x (1 - 0.02) = 0.884058
    lossy = wind_power_pu(
        weather,
        JIAYUGUAN,
        **{
            **kw,
            "wake_loss_fraction": 0.07,
            "availability_fraction": 0.97,
            "losses_fraction": 0.02,
        },
    )
    assert lossy.iloc[0] == pytest.approx(0.42872 * 0.884058, abs=2e-4)


def test_wind_power_bounds_and_smoothing():
    year = synthetic_weather(GUAZHOU_YUMEN_WIND, YEAR, 0)
    pu = wind_power_pu(year, GUAZHOU_YUMEN_WIND)
    factor = 0.93 * 0.97 * 0.98
    assert pu.min() >= 0.0 and pu.max() <= factor + 1e-12
    sharp = wind_power_pu(year, GUAZHOU_YUMEN_WIND, smoothing=False)
    # a single-turbine curve spends more hours at exactly rated output than a smoothed farm
    assert (sharp >= factor - 1e-9).sum() > (pu >= factor - 1e-9).sum()
    assert "VS112/2500" in turbine_types() and "V126/3450" in turbine_types()


# --------------------------------------------------------------------------------------------
# calibration: full-load hours per seed
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_load_hours() -> pd.DataFrame:
    """Annual full-load hours (sum of pu over 8,760 h) for seeds 0-9, default parameters.

    PV at Jiayuguan (fixed 35.8 deg and single-axis), per MW AC and per MWp DC
    (dc_ac_ratio 1.2); wind (VS112/2500, 90 m) in the Guazhou/Yumen wind area.
    """
    rows = []
    for seed in CALIBRATION_SEEDS:
        pv_w = synthetic_weather(JIAYUGUAN, YEAR, seed)
        wind_w = synthetic_weather(GUAZHOU_YUMEN_WIND, YEAR, seed)
        fixed = pv_power_pu(pv_w, JIAYUGUAN).sum()
        tracking = pv_power_pu(pv_w, JIAYUGUAN, mount="single_axis").sum()
        rows.append(
            {
                "seed": seed,
                "pv_fixed_ac": fixed,
                "pv_tracking_ac": tracking,
                "pv_fixed_dc": pv_power_pu(pv_w, JIAYUGUAN, capacity_basis="dc").sum(),
                "pv_tracking_dc": tracking / 1.2,
                "wind": wind_power_pu(wind_w, GUAZHOU_YUMEN_WIND).sum(),
            }
        )
    return pd.DataFrame(rows).set_index("seed")


def test_calibration_pv_fixed_per_mwp(full_load_hours):
    """DOMAIN.md: fixed tilt 1,550-1,650 h per MWp (Dongxing 36.5 MWp: 1,556 h)."""
    flh = full_load_hours["pv_fixed_dc"]
    assert flh.between(*PV_FIXED_RANGE).all(), flh.round(0).to_dict()
    np.testing.assert_allclose(flh, full_load_hours["pv_fixed_ac"] / 1.2, rtol=1e-12)


def test_calibration_pv_tracking_per_mwp(full_load_hours):
    """DOMAIN.md: single-axis tracking 1,750-1,900 h per MWp."""
    flh = full_load_hours["pv_tracking_dc"]
    assert flh.between(*PV_TRACKING_RANGE).all(), flh.round(0).to_dict()


def test_calibration_wind(full_load_hours):
    """DOMAIN.md: new wind in Jiuquan/Guazhou 2,600-3,000 h."""
    flh = full_load_hours["wind"]
    assert flh.between(*WIND_RANGE).all(), flh.round(0).to_dict()


def test_calibration_year_to_year_spread(full_load_hours):
    """Realistic interannual spread: a few per cent (coefficient of variation 0.5-5 %),
    and every seed a different year."""
    for col in ("pv_fixed_dc", "pv_tracking_dc", "wind"):
        x = full_load_hours[col]
        cv = x.std() / x.mean()
        assert 0.005 < cv < 0.05, (col, cv)
        assert x.round(3).nunique() == len(x)


def test_pv_from_bundled_tmy3_file():
    """Greensboro, NC (36.1 N) TMY3: about 1,400 kWh/kWp for fixed tilt (PVWatts-type
    yields in North Carolina are 1,350-1,450 kWh/kWp), i.e. about 1,680 h per MW AC."""
    weather, meta = read_weather(TMY3)
    site = Site("greensboro", meta["latitude"], meta["longitude"], meta["altitude"], "Etc/GMT+5")
    fixed = pv_power_pu(weather, site)
    assert 1300 < fixed.sum() / 1.2 < 1500
    assert 0 <= fixed.min() and fixed.max() <= 1.0
    tracking = pv_power_pu(weather, site, mount="single_axis").sum()
    assert 1.05 < tracking / fixed.sum() < 1.25
    assert 500 < wind_power_pu(weather, site).sum() < 2000  # 10 m airport wind, inland


def test_one_year_is_fast():
    """Weather + PV + wind for one site-year well under 1-2 s (vectorised)."""
    import time

    t0 = time.perf_counter()
    w = synthetic_weather(JIAYUGUAN, YEAR, 99)
    pv_power_pu(w, JIAYUGUAN, mount="single_axis")
    wind_power_pu(w, JIAYUGUAN)
    assert time.perf_counter() - t0 < 1.5


# --------------------------------------------------------------------------------------------
# generators
# --------------------------------------------------------------------------------------------


def make_ctx(tmp_path: Path, index: pd.DatetimeIndex = YEAR[:72]) -> GeneratorContext:
    return GeneratorContext(
        hours=index,
        base_dir=tmp_path,
        sites={"jiayuguan": JIAYUGUAN, "guazhou": GUAZHOU_YUMEN_WIND},
        where="scenario.yaml: renewables.x.availability",
    )


def test_generators_synthetic_share_one_cached_year(tmp_path, monkeypatch):
    calls = []
    real = W.synthetic_weather

    def counting(site, index, seed, **kw):
        calls.append((site.name, seed))
        return real(site, index, seed, **kw)

    monkeypatch.setattr(W, "synthetic_weather", counting)
    monkeypatch.setattr(W, "_SYNTHETIC_CACHE", {})
    ctx = make_ctx(tmp_path)
    pv = GENERATORS["solar"](
        ctx, {"site": "jiayuguan", "mount": "single_axis", "weather": "synthetic", "seed": 3}
    )
    for _ in range(9):  # ten PV clusters
        GENERATORS["solar"](ctx, {"site": "jiayuguan", "weather": "synthetic", "seed": 3})
    wind_here = GENERATORS["wind"](ctx, {"site": "jiayuguan", "seed": 3})
    assert calls == [("jiayuguan", 3)]
    assert pv.dtype == float and len(pv) == 72 and np.isfinite(pv).all()
    assert len(wind_here) == 72 and (0 <= wind_here).all() and (wind_here <= 1).all()
    # exactly the functions' output on the shared weather
    w = real(JIAYUGUAN, ctx.index, 3)
    np.testing.assert_array_equal(
        pv, pv_power_pu(w, JIAYUGUAN, mount="single_axis", capacity_basis="dc")
    )
    np.testing.assert_array_equal(wind_here, wind_power_pu(w, JIAYUGUAN))


def test_generators_from_weather_file(tmp_path):
    idx = YEAR[:48]
    w = synthetic_weather(JIAYUGUAN, idx, 5)
    lines = ["# timezone: Asia/Shanghai", "timestamp,ghi,dni,dhi,temp_air,wind_speed"]
    lines += [
        f"{t:%Y-%m-%d %H:%M},{r.ghi:.3f},{r.dni:.3f},{r.dhi:.3f},{r.temp_air:.3f},"
        f"{r.wind_speed:.3f}"
        for t, r in w.iterrows()
    ]
    (tmp_path / "met.csv").write_text("\n".join(lines) + "\n")
    ctx = make_ctx(tmp_path, idx)
    pv = GENERATORS["solar"](ctx, {"site": "jiayuguan", "weather": "met.csv", "wind_height_m": 70})
    np.testing.assert_allclose(
        pv, pv_power_pu(w, JIAYUGUAN, capacity_basis="dc").to_numpy(), atol=2e-5
    )
    wind = GENERATORS["wind"](ctx, {"site": "jiayuguan", "weather": "met.csv", "wind_height_m": 70})
    np.testing.assert_allclose(wind, wind_power_pu(w, JIAYUGUAN).to_numpy(), atol=2e-4)
    with pytest.raises(InputError, match="met.csv: wind_height_m: height of the wind-speed"):
        GENERATORS["wind"](ctx, {"site": "jiayuguan", "weather": "met.csv"})


def test_generator_parameter_errors(tmp_path):
    ctx = make_ctx(tmp_path)
    where = "scenario.yaml: renewables.x.availability"
    with pytest.raises(InputError) as exc:
        GENERATORS["solar"](ctx, {"site": "jiayuguan", "mount": "dual_axis", "tilt": 30})
    text = str(exc.value)
    assert f"{where}.mount" in text and f"{where}.tilt: unknown parameter" in text
    with pytest.raises(InputError, match=rf"{where}.site: unknown site \(got 'dunhuang'\)"):
        GENERATORS["solar"](ctx, {"site": "dunhuang"})
    with pytest.raises(
        InputError, match=rf"{where}.turbine: unknown turbine type.*nearest in size: .*GE120/2500"
    ):
        GENERATORS["wind"](ctx, {"site": "guazhou", "turbine": "GW121/2500"})
    with pytest.raises(InputError, match=rf"{where}.seed: only applies to synthetic"):
        GENERATORS["wind"](ctx, {"site": "guazhou", "weather": "met.csv", "seed": 1})
    with pytest.raises(InputError, match=rf"{where}.wind_height_m: only applies to weather"):
        GENERATORS["wind"](ctx, {"site": "guazhou", "wind_height_m": 10})
    with pytest.raises(InputError, match="weather file not found"):
        GENERATORS["solar"](ctx, {"site": "jiayuguan", "weather": "missing.epw"})


def test_solar_generator_defaults_are_per_mwp(tmp_path):
    """The brief's example, ``{generator: solar, site: jiayuguan, mount: single_axis,
    weather: synthetic, seed: 3}``, over a year: availability per MWp installed, so its sum is
    in DOMAIN.md's tracking range; ``capacity_basis: ac`` is 1.2 x that (per MW of inverter)."""
    ctx = make_ctx(tmp_path, YEAR)
    example = {"site": "jiayuguan", "mount": "single_axis", "weather": "synthetic", "seed": 3}
    per_mwp = GENERATORS["solar"](ctx, example)
    per_mwac = GENERATORS["solar"](ctx, {**example, "capacity_basis": "ac"})
    assert PV_TRACKING_RANGE[0] < per_mwp.sum() < PV_TRACKING_RANGE[1]
    np.testing.assert_allclose(per_mwac, 1.2 * per_mwp, rtol=1e-12)
    assert per_mwp.max() <= 1 / 1.2 + 1e-12
    wind = GENERATORS["wind"](ctx, {"site": "guazhou", "seed": 3})
    assert WIND_RANGE[0] < wind.sum() < WIND_RANGE[1]
