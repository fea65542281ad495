"""xarray without importing dask until something uses dask.

xarray asks, for every array it wraps (``xarray.core.variable.as_compatible_data``), whether
it is a dask array: ``isinstance(data, array_type("dask"))``. The first such question imports
``dask.array`` (and with it scipy.fft): about 1.2 s on a quiet 2-core machine, paid by
``gridopt validate`` and every short run although neither makes a dask array.

:func:`defer_dask` answers that question without the import. It puts, in xarray's cache of
duck-array modules (``xarray.namedarray.pycompat._cached_duck_array_modules``, the cache
``array_type`` reads), an entry whose array type is :class:`DaskArray`: ``isinstance(x,
DaskArray)`` is false at once when no class in ``type(x).__mro__`` comes from a ``dask``
module, and otherwise imports ``dask.array`` and asks ``isinstance(x, dask.array.Array)``.
The answer is therefore exactly xarray's own, for every object: an object whose classes
are not dask's cannot be a dask array. The entry's ``module``, ``version`` and
``available`` import dask when read, as xarray's own entry does when made.

The other question, ``xarray.namedarray.utils.is_dask_collection(x)`` (asked when an index is
made), imports ``dask.base`` (0.3 s) before calling ``dask.base.is_dask_collection``, whose
first test is that ``x`` is not a class and has a callable ``__dask_graph__``. :func:`defer_dask`
wraps it so that this first test is made before the import: false -> False at once (dask's
answer too), true -> xarray's own function.

Nothing is done when xarray has already made its dask entry (dask then is imported anyway) or
when its internals differ from the ones described here (then xarray works as it does by
itself, only slower to start).

:func:`defer_dask_when_imported` (called when :mod:`gridopt` is imported) installs it as soon
as xarray is imported, whichever module imports it first, and without importing xarray
itself: a command that never uses xarray (``gridopt validate``) does not pay for it.
"""

from __future__ import annotations

import sys
from importlib import import_module
from importlib.machinery import PathFinder


class _DaskArrayMeta(type):
    def __instancecheck__(cls, obj: object) -> bool:
        if not any(k.__module__.partition(".")[0] == "dask" for k in type(obj).__mro__):
            return False
        return isinstance(obj, import_module("dask.array").Array)

    def __subclasscheck__(cls, sub: type) -> bool:
        if not any(k.__module__.partition(".")[0] == "dask" for k in sub.__mro__):
            return False
        return issubclass(sub, import_module("dask.array").Array)


class DaskArray(metaclass=_DaskArrayMeta):
    """Stands for ``dask.array.Array`` in ``isinstance`` without importing dask (module
    docstring)."""


def defer_dask() -> bool:
    """Install the lazy dask entry in xarray's duck-array cache (module docstring); True when
    it is (or was already) installed."""
    try:
        from xarray.namedarray import pycompat
    except ImportError:  # pragma: no cover - xarray's layout changed: nothing to do
        return False
    cache = getattr(pycompat, "_cached_duck_array_modules", None)
    base = getattr(pycompat, "DuckArrayModule", None)
    if not isinstance(cache, dict) or base is None:  # pragma: no cover
        return False
    utils = import_module("xarray.namedarray.utils")
    asked = getattr(utils, "is_dask_collection", None)
    if asked is not None and not getattr(asked, "_gridopt_lazy", False):
        utils.is_dask_collection = _collection_test(asked)
    if "dask" in cache:
        return isinstance(cache["dask"], _LazyDask)
    cache["dask"] = _LazyDask(base)
    return True


def _collection_test(xarray_test):
    """``xarray_test`` (xarray's ``is_dask_collection``) behind dask's own first test, which
    needs no import (module docstring)."""

    def is_dask_collection(x: object) -> bool:
        if isinstance(x, type) or not callable(getattr(x, "__dask_graph__", None)):
            return False
        return xarray_test(x)

    is_dask_collection._gridopt_lazy = True
    return is_dask_collection


class _LazyDask:
    """xarray's ``DuckArrayModule("dask")``, made only when its module or version is read;
    its ``type`` is :class:`DaskArray` until then."""

    def __init__(self, make: type) -> None:
        self._make = make
        self._real = None

    @property
    def type(self) -> tuple[type, ...]:
        return self._real.type if self._real is not None else (DaskArray,)

    def __getattr__(self, name: str):  # module, version, available: the real entry's
        if name.startswith("_"):
            raise AttributeError(name)
        if self._real is None:
            self._real = self._make("dask")
        return getattr(self._real, name)


def defer_dask_when_imported() -> None:
    """:func:`defer_dask` now when xarray is imported, else right after it is (a finder on
    ``sys.meta_path`` that wraps xarray's loader, once)."""
    if "xarray" in sys.modules:
        defer_dask()
    elif not any(isinstance(f, _AfterXarray) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterXarray())


class _AfterXarray:
    """Finds ``xarray`` as the path finder does, with a loader that calls :func:`defer_dask`
    once the package has run; removes itself when used. (A finder and a loader by protocol:
    importing ``importlib.abc`` for their base classes costs 15 ms of every start.)"""

    def find_spec(self, name, path=None, target=None):
        if name != "xarray":
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenDeferDask(spec.loader)
        return spec


class _ThenDeferDask:
    """xarray's own loader; :func:`defer_dask` after the package has run."""

    def __init__(self, loader) -> None:
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        self._loader.exec_module(module)
        defer_dask()

    def __getattr__(self, name: str):  # resource readers and the rest: the real loader's
        return getattr(self._loader, name)
