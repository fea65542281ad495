"""xarray with :func:`gridopt.lazy_dask.defer_dask`: numpy arrays never import dask, and
dask arrays are still dask arrays to xarray (lazy, chunked, computed on demand).

Each case runs in a fresh interpreter, since this test process may have imported dask already.
"""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    prelude = "import sys\nfrom gridopt.lazy_dask import defer_dask\nassert defer_dask()\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_numpy_data_leaves_dask_unimported():
    """DataArrays, a Dataset with an index, arithmetic and a NetCDF-ready copy from numpy data:
    dask is never imported, and the values are the numpy ones (2 x [1, 2, 3] = [2, 4, 6])."""
    out = _run(
        "import numpy as np, xarray as xr\n"
        "a = xr.DataArray(np.array([1.0, 2.0, 3.0]), dims='t', coords={'t': [10, 20, 30]})\n"
        "ds = xr.Dataset({'a': a, 'b': ('t', np.ones(3))})\n"
        "print((2 * ds['a']).values.tolist(), 'dask' in sys.modules)"
    )
    assert out == "[2.0, 4.0, 6.0] False"


def test_dask_arrays_are_still_dask_arrays():
    """A dask array inside a DataArray stays lazy (chunks (2, 1)) and sums to 1+2+3 = 6 when
    computed: xarray recognised it as a dask array through the lazy entry."""
    out = _run(
        "import numpy as np, xarray as xr, dask.array as da\n"
        "x = xr.DataArray(da.from_array(np.array([1.0, 2.0, 3.0]), chunks=2), dims='t')\n"
        "print(x.chunks, type(x.data).__module__.split('.')[0], float(x.sum().compute()))"
    )
    assert out == "((2, 1),) dask 6.0"


def test_isinstance_answers_as_dask_does():
    """The stand-in type answers ``isinstance`` as ``dask.array.Array`` itself would."""
    out = _run(
        "import numpy as np\n"
        "from gridopt.lazy_dask import DaskArray\n"
        "plain = isinstance(np.ones(2), DaskArray)\n"
        "imported = 'dask' in sys.modules\n"
        "import dask.array as da\n"
        "print(plain, imported, isinstance(da.ones(2), DaskArray), isinstance(3, DaskArray))"
    )
    assert out == "False False True False"
