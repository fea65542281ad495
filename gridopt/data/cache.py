"""A disk cache for hourly series that take seconds to compute (weather-to-power on synthetic
weather), so that ``gridopt validate``, short runs, sweeps and tenant studies do not redraw
the same year each time.

A generator registered with a ``cache_key`` (:func:`gridopt.data.generators.generator`) is
cached when that function returns a key (a JSON-able dict of everything besides its
parameters and the horizon that the series depends on, e.g. the site), None otherwise (e.g.
a weather file, which may change under the same name).

Key: ``SHA-256(JSON(generator, parameters, key, horizon, code))``, where the horizon is the
time zone and the SHA-256 of the hours (int64 nanoseconds since 1970, UTC) and ``code`` is
:func:`code_fingerprint` (the source of every module of :mod:`gridopt.data` and the versions
of numpy, pandas, scipy, pvlib and windpowerlib): a change of code, library or input gives
a new key, and an entry is never reused for anything else.

File ``<cache dir>/<generator>-<key>.npy``: a first line ``gridopt-series <key> <sha256 of
the array's bytes>``, then the array as a ``.npy``. It is written atomically
(:func:`gridopt.io.atomic_write`) and read only when its key and the hash of its bytes match
(a truncated or altered file is recomputed and replaced).

Cache folder: ``$GRIDOPT_CACHE_DIR``, else ``$XDG_CACHE_HOME/gridopt``, else
``~/.cache/gridopt``; ``GRIDOPT_CACHE_DIR=off`` turns the cache off. A folder that cannot be
read or written is not an error: the series is computed as without a cache.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np

from gridopt.data.clock import Hours

ENV = "GRIDOPT_CACHE_DIR"
"""Environment variable naming the cache folder (``off``: no cache)."""

LIBRARIES = ("numpy", "pandas", "scipy", "pvlib", "windpowerlib")
"""Libraries whose version is part of every key."""

_MAGIC = b"gridopt-series"


def cache_dir() -> Path | None:
    """The cache folder (None: the cache is off)."""
    env = os.environ.get(ENV)
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "no") else Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "gridopt"


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 of the source of every module of :mod:`gridopt.data` (sorted by name) and of
    the versions of :data:`LIBRARIES`."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in LIBRARIES:
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{lib}={version}\0".encode())
    return h.hexdigest()


def series_key(name: str, params: dict, extra: dict, hours: Hours) -> str:
    """The key of generator ``name``'s series (see the module docstring)."""
    if not isinstance(hours, Hours):  # a pandas DatetimeIndex
        hours = Hours.of(hours)
    digest = hashlib.sha256(np.ascontiguousarray(hours.utc_ns).tobytes()).hexdigest()
    text = json.dumps(
        {
            "generator": name,
            "params": params,
            "key": extra,
            "horizon": {"timezone": hours.zone, "hours": len(hours), "sha256": digest},
            "code": code_fingerprint(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def cached_series(
    name: str,
    params: dict,
    extra: dict,
    hours: Hours,
    compute: Callable[[], np.ndarray],
) -> np.ndarray:
    """``compute()`` (a float array), read from the cache when an entry with this key is
    there and intact, else computed and stored."""
    folder = cache_dir()
    if folder is None:
        return compute()
    key = series_key(name, params, extra, hours)
    path = folder / f"{name}-{key}.npy"
    values = _read(path, key)
    if values is not None:
        return values
    values = np.asarray(compute(), dtype=float)
    _write(path, key, values)
    return values


def _read(path: Path, key: str) -> np.ndarray | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head, _, body = raw.partition(b"\n")
    parts = head.split(b" ")
    if len(parts) != 3 or parts[0] != _MAGIC or parts[1].decode(errors="replace") != key:
        return None
    if hashlib.sha256(body).hexdigest() != parts[2].decode(errors="replace"):
        return None
    try:
        return np.load(io.BytesIO(body), allow_pickle=False)
    except (ValueError, OSError):
        return None


def _write(path: Path, key: str, values: np.ndarray) -> None:
    from gridopt.io import atomic_write

    buf = io.BytesIO()
    np.save(buf, values, allow_pickle=False)
    body = buf.getvalue()
    head = b" ".join([_MAGIC, key.encode(), hashlib.sha256(body).hexdigest().encode()])
    try:
        atomic_write(path, lambda p: p.write_bytes(head + b"\n" + body))
    except OSError:
        pass  # a read-only or full cache folder: the series was computed, just not kept
