"""The disk cache of slow hourly series (gridopt.data.cache): an entry is reused only for the
same generator, parameters, site, horizon and code, and only when its bytes are intact; a
cache that cannot be written or is turned off changes nothing but the time taken."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridopt.data import cache
from gridopt.data.generators import GeneratorContext, Site, cache_key

INDEX = pd.date_range("2025-06-01", periods=48, freq="h", tz="Asia/Shanghai")
SITE = Site("jiayuguan", 39.773, 98.288, 1660.0)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def counted(values: np.ndarray):
    calls = []

    def compute():
        calls.append(1)
        return values.copy()

    return compute, calls


def test_second_call_reads_the_same_bytes(folder):
    values = np.linspace(0.0, 1.0, 48) ** 1.5
    compute, calls = counted(values)
    a = cache.cached_series("solar", {"seed": 1}, {"site": "x"}, INDEX, compute)
    b = cache.cached_series("solar", {"seed": 1}, {"site": "x"}, INDEX, compute)
    assert calls == [1]
    assert a.tobytes() == values.tobytes() and b.tobytes() == values.tobytes()
    assert len(list(folder.glob("solar-*.npy"))) == 1


def test_anything_that_differs_gives_another_entry(folder):
    compute, calls = counted(np.zeros(48))
    cache.cached_series("solar", {"seed": 1}, {"site": "x"}, INDEX, compute)
    cache.cached_series("solar", {"seed": 2}, {"site": "x"}, INDEX, compute)  # parameters
    cache.cached_series("solar", {"seed": 1}, {"site": "y"}, INDEX, compute)  # site
    cache.cached_series("wind", {"seed": 1}, {"site": "x"}, INDEX, compute)  # generator
    shifted = INDEX + pd.Timedelta(hours=1)
    cache.cached_series("solar", {"seed": 1}, {"site": "x"}, shifted, compute)  # horizon
    other_zone = INDEX.tz_convert("UTC")  # the same instants on another clock
    cache.cached_series("solar", {"seed": 1}, {"site": "x"}, other_zone, compute)
    assert len(calls) == 6


def test_a_damaged_entry_is_recomputed_not_trusted(folder):
    values = np.arange(48.0)
    compute, calls = counted(values)
    cache.cached_series("solar", {}, {}, INDEX, compute)
    (path,) = folder.glob("solar-*.npy")
    raw = bytearray(path.read_bytes())
    raw[-8:] = np.float64(-1.0).tobytes()  # the last hour's value altered, header unchanged
    path.write_bytes(bytes(raw))
    again = cache.cached_series("solar", {}, {}, INDEX, compute)
    assert calls == [1, 1] and again.tobytes() == values.tobytes()
    path.write_bytes(path.read_bytes()[:100])  # truncated
    assert cache.cached_series("solar", {}, {}, INDEX, compute).tobytes() == values.tobytes()
    assert len(calls) == 3


def test_off_or_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    compute, calls = counted(np.ones(48))
    monkeypatch.setenv(cache.ENV, "off")
    assert cache.cache_dir() is None
    for _ in range(2):
        assert (cache.cached_series("solar", {}, {}, INDEX, compute) == 1.0).all()
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    assert (cache.cached_series("solar", {}, {}, INDEX, compute) == 1.0).all()
    assert len(calls) == 3


def test_only_synthetic_weather_is_cached():
    """A weather file may change under the same name: its series are not cached. A load
    profile depends on its parameters only; a shape or a profile file is not cached."""
    ctx = GeneratorContext(INDEX, sites={"jiayuguan": SITE})
    for gen in ("solar", "wind"):
        assert cache_key(gen, ctx, {"site": "jiayuguan", "seed": 3})["latitude_deg"] == 39.773
        assert cache_key(gen, ctx, {"site": "jiayuguan", "weather": "tmy.epw"}) is None
        assert cache_key(gen, ctx, {"site": "nowhere"}) is None
    assert cache_key("city_load", ctx, {"annual_energy_mwh": 1}) == {}
    assert cache_key("daily_shape", ctx, {}) is None
    assert cache_key("profile_file", ctx, {"path": "a.csv"}) is None


def test_the_default_year_resolves_the_same_from_the_cache(folder):
    """The bundled scenario's inputs, computed and then read back from the cache, agree bit
    for bit (a 48-hour horizon keeps the test short)."""
    from gridopt.inputs import load_inputs
    from tests.conftest import ROOT

    scenario = ROOT / "scenarios" / "jiayuguan_jiuquan_2025.yaml"
    _, first = load_inputs(scenario, 48)
    assert len(list(folder.glob("*.npy"))) >= 2  # solar and wind entries
    _, second = load_inputs(scenario, 48)
    av = "renewable_availability_pu"
    assert first[av].values.tobytes() == second[av].values.tobytes()
