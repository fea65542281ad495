"""Modules imported when first used, so that a command imports only what it needs.

``pd = lazy_module("pandas")`` at the top of a module gives a stand-in: the first
``pd.anything`` imports pandas and every later one reads the real module's attribute. A
module that only *declares* (generators registered, model families and their inputs, the
scenario schema) can then be imported by ``gridopt validate`` without pandas, xarray, pvlib
or windpowerlib, which together take about a second to import on a 2-core machine; a
command that computes with them pays the import where it first uses them, as it would at the
top.

xarray, whenever it is imported, gets the dask stand-in of :mod:`gridopt.lazy_dask`.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType


class LazyModule:
    """Stands for module ``name`` until an attribute is read (module docstring)."""

    __slots__ = ("_name",)

    def __init__(self, name: str):
        self._name = name

    def _module(self) -> ModuleType:
        module = sys.modules.get(self._name)
        return import_module(self._name) if module is None else module

    def __getattr__(self, attr: str):
        return getattr(self._module(), attr)

    def __repr__(self) -> str:
        loaded = "imported" if self._name in sys.modules else "not imported yet"
        return f"<lazy module {self._name!r} ({loaded})>"


def lazy_module(name: str) -> LazyModule:
    """A stand-in for module ``name``, imported when first used (module docstring)."""
    return LazyModule(name)
