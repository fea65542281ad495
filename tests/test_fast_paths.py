"""The numpy paths that replaced slower pandas/xarray ones give the same answers: the
timestamps of ``prices.csv`` (:func:`gridopt.data.clock.timestamp_text`) and the consumption
per bus-hour (:func:`gridopt.results.consumption_by_bus`), the text of a resolved scenario
(:func:`gridopt.io.yaml_text`)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from gridopt.data.clock import timestamp_text
from gridopt.results import consumption_by_bus


@pytest.mark.parametrize(
    "index",
    [
        pd.date_range("2025-01-01", periods=8760, freq="h").tz_localize("Asia/Shanghai"),
        pd.date_range("2025-01-01", periods=8760, freq="h", tz="UTC").tz_convert("Europe/Berlin"),
        pd.date_range("2025-01-01", periods=30, freq="h").tz_localize("America/St_Johns"),
        pd.date_range("2025-01-01", periods=3, freq="h").tz_localize("UTC+01:00"),
        pd.date_range("1900-01-01", periods=3, freq="h").tz_localize("Asia/Shanghai"),
    ],
    ids=["shanghai-year", "berlin-dst-year", "st-johns", "fixed-offset", "local-mean-time"],
)
def test_timestamp_text_is_what_pandas_writes(index):
    """Each timestamp's text is pandas' own in a CSV: ``2025-01-01 00:00:00+08:00``, with a
    negative half-hour offset (St John's, -03:30), the summer offset of a zone with daylight
    saving time (+02:00 in July in Berlin) and an offset in seconds (Shanghai's local mean
    time in 1900, +08:05:43)."""

    def csv(idx) -> str:
        frame = pd.DataFrame({"p": np.arange(len(idx)) * 0.5}, index=idx)
        frame.index.name = "timestamp"
        out = io.StringIO()
        frame.to_csv(out, float_format="%.4f")
        return out.getvalue()

    assert csv(pd.Index(timestamp_text(index))) == csv(index)


def test_timestamp_text_by_hand():
    """2025-07-01 12:00 UTC is 14:00 in Berlin (summer time, UTC+2) and 09:30 in St John's
    (UTC-2:30 in summer)."""
    t = pd.DatetimeIndex(["2025-07-01 12:00"], tz="UTC")
    assert timestamp_text(t.tz_convert("Europe/Berlin"))[0] == "2025-07-01 14:00:00+02:00"
    assert timestamp_text(t.tz_convert("America/St_Johns"))[0] == "2025-07-01 09:30:00-02:30"


def test_consumption_by_bus_by_hand():
    """Two hours, buses a, b, c: fixed loads L1 (10, 20 MW) and L2 (1, 2 MW) at b and L3 (5,
    7 MW) at a; an interruptible load at c serving 4 MW, then NaN (counted as 0); a flexible
    load at b drawing 3, 3 MW. By bus: a = 5, 7; b = 10 + 1 + 3 = 14, 20 + 2 + 3 = 25;
    c = 4, 0 MW, with the price's dims and the units MW."""
    r = xr.Dataset(
        {
            "price_cny_per_mwh": (("time", "bus"), np.zeros((2, 3)), {"units": "CNY/MWh"}),
            "load_served_mw": (("time", "load"), [[10.0, 1.0, 5.0], [20.0, 2.0, 7.0]]),
            "load_bus": ("load", ["b", "b", "a"]),
            "flex_p_mw": (("time", "flex"), [[3.0], [3.0]]),
            "flex_bus": ("flex", ["b"]),
            "intr_served_mw": (("time", "intr"), [[4.0], [np.nan]]),
            "intr_bus": ("intr", ["c"]),
        },
        coords={"time": pd.date_range("2025-01-01", periods=2, freq="h"), "bus": ["a", "b", "c"]},
    )
    c = consumption_by_bus(r)
    assert c.dims == ("time", "bus")
    assert c.values.tolist() == [[5.0, 14.0, 4.0], [7.0, 25.0, 0.0]]
    assert c.attrs == {"units": "MW", "role": "result"}


@pytest.mark.parametrize(
    "name",
    ["demo_small", "jiayuguan_jiuquan_2025", "jiayuguan_jiuquan_2030", "plan_2030"],
)
def test_resolved_scenario_text_is_pyyamls_own(name):
    """scenario_resolved.yaml is written by libyaml's emitter (:func:`gridopt.io.yaml_text`):
    the same text as PyYAML's own ``safe_dump``, for every bundled scenario resolved (every
    default filled in, Chinese names as they are)."""
    import yaml

    from gridopt.io import yaml_text
    from gridopt.scenario.load import load_scenario
    from tests.conftest import ROOT

    data = load_scenario(ROOT / "scenarios" / f"{name}.yaml").scenario.model_dump(mode="json")
    text = yaml_text(data)
    assert text == yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    assert yaml.safe_load(text) == data
