"""``gridopt.results.assets_alone``: each asset's results alone, against the DataArray route.

On demo_small's first 24 h (coal, wind, PV, a battery, a flexible potline, a tie: every cost
item with a price component), for every family with assets:

- asset a's Dataset holds the family's variables at position a, as ``r.isel({dim: [a]})``
  does, and nothing along another asset dim;
- every cost item evaluated on it equals the item evaluated on ``r.isel({dim: [a]})`` (the
  route :func:`gridopt.prices.revenue_adequacy` took before), exactly;
- the items summed over the assets give the family's item on the whole results, the cost
  breakdown of ``summary.json`` (an invariant: an asset counted twice, or one left out, breaks
  it unless its cost is 0, which the coal units' fuel is not).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from gridopt.model import DECLARATIONS
from gridopt.results import assets_alone
from gridopt.run import run_scenario
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def r() -> xr.Dataset:
    return run_scenario(DEMO, hours=24).results


FAMILIES = [f for f in DECLARATIONS if f.costs]


@pytest.mark.parametrize("fam", FAMILIES, ids=[f.dim for f in FAMILIES])
def test_each_asset_alone_as_isel(r, fam):
    n = r.sizes.get(fam.dim, 0)
    alone = assets_alone(r, fam.dim)
    assert len(alone) == n
    other = {d for d in r.dims if d not in ("time", fam.dim)}
    for a, ds in enumerate(alone):
        ref = r.isel({fam.dim: [a]})
        assert ds.sizes[fam.dim] == 1 and not other & set(ds.dims)
        for name, v in ds.variables.items():
            assert v.dims == ref.variables[name].dims
            np.testing.assert_array_equal(v.values, ref.variables[name].values)
        for c in fam.costs:
            assert c.cost_cny(ds) == c.cost_cny(ref), (fam.dim, a, c.key)


def test_sum_over_assets_is_the_family_item(r):
    checked = 0
    for fam in FAMILIES:
        if not r.sizes.get(fam.dim, 0):
            continue
        alone = assets_alone(r, fam.dim)
        for c in fam.costs:
            whole = c.cost_cny(r)
            parts = sum(c.cost_cny(ds) for ds in alone)
            assert math.isclose(parts, whole, rel_tol=1e-12, abs_tol=1e-6), (fam.dim, c.key)
            checked += whole != 0
    assert checked >= 3  # fuel, imports, VOM at least are not zero on demo_small's day


def test_a_cost_that_reads_another_asset_dim_fails(r):
    """A bus's price is not part of a thermal unit alone: reading it is an error, not a mix."""
    ds = assets_alone(r, "thermal")[0]
    assert "price_cny_per_mwh" in r and "price_cny_per_mwh" not in ds
    with pytest.raises(KeyError):
        ds.variables["price_cny_per_mwh"]
