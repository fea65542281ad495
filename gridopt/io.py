"""Atomic output writing: a file appears under its final name only once it is complete."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import xarray as xr


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: dict) -> None:
    def default(o):
        if isinstance(o, np.generic):
            return o.item()
        raise TypeError(f"not JSON serialisable: {type(o).__name__}")

    atomic_write(
        path,
        lambda p: p.write_text(
            json.dumps(data, indent=2, ensure_ascii=False, default=default), encoding="utf-8"
        ),
    )


def write_netcdf(path: Path, ds: xr.Dataset) -> None:
    """Write ``ds`` as NetCDF4 (h5netcdf); booleans are stored as int8 with ``dtype: bool``."""
    ds = ds.copy()
    for name, var in ds.data_vars.items():
        if var.dtype == bool:
            ds[name] = var.astype("int8").assign_attrs(var.attrs, dtype="bool")
        elif var.dtype == object or var.dtype.kind == "U":
            ds[name] = var.astype(str)
    atomic_write(path, lambda p: ds.to_netcdf(p, engine="h5netcdf"))


def read_results(path: Path) -> xr.Dataset:
    """Read a results file written by :func:`write_netcdf` (booleans restored)."""
    ds = xr.load_dataset(path, engine="h5netcdf")
    for name, var in ds.data_vars.items():
        if var.attrs.get("dtype") == "bool":
            attrs = {k: v for k, v in var.attrs.items() if k != "dtype"}
            ds[name] = var.astype(bool).assign_attrs(attrs)
    return ds
