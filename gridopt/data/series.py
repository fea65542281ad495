"""Hourly series fields of a scenario resolved to arrays: numbers, lists, CSV files, generators.

A series field (``loads.city.p_mw``, ``renewables.w.availability``, a tie's prices) is a
number (every hour), a list (one value per hour), ``{csv: path, column: name, scale: 1}`` or
``{generator: name, ...}`` (:mod:`gridopt.data.generators`). :class:`Resolver` turns each into
one value per hour of the horizon and checks its range, collecting every problem.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gridopt.data.cache import cached_series
from gridopt.data.clock import Hours
from gridopt.data.csvfile import is_blank, is_missing, read_csv_table
from gridopt.data.generators import DECLARED, GENERATORS, GeneratorContext, Site, cache_key
from gridopt.errors import GridoptError, InputError, Problem
from gridopt.scenario.load import LoadedScenario
from gridopt.scenario.schema import CsvSeries, GeneratorSeries


class Resolver:
    """Resolves hourly series fields, collecting problems instead of stopping at the first.

    ``res(spec, where, lo, hi, default)`` gives the series of the field at ``where`` (a path
    such as ``loads.city.p_mw``) as one value per hour of ``hours`` [the field's unit];
    a value outside ``[lo, hi]`` or not finite, or a series of the wrong length, adds a
    problem to ``res.problems`` and the field reads as zeros. ``spec`` None gives ``default``
    (NaN if None) in every hour."""

    def __init__(self, ls: LoadedScenario, hours: Hours):
        self.ls, self.hours = ls, hours
        self.full_hours = ls.scenario.time.hours
        self.problems: list[Problem] = []
        self.sites = {
            n: Site(n, s.latitude_deg, s.longitude_deg, s.altitude_m, ls.scenario.time.timezone)
            for n, s in ls.scenario.sites.items()
        }

    def __call__(
        self,
        spec,
        where: str,
        lo: float | None = 0.0,
        hi: float | None = None,
        default: float | None = None,
    ) -> np.ndarray:
        n = len(self.hours)
        loc = f"{self.ls.path}: {where}"
        if spec is None:
            return np.full(n, np.nan if default is None else default)
        try:
            values = self._values(spec, loc)
        except InputError as exc:
            self.problems.extend(exc.problems)
            return np.zeros(n)
        except GridoptError as exc:
            self.problems.append(Problem(loc, str(exc)))
            return np.zeros(n)
        values = np.asarray(values, dtype=float).ravel()
        if values.size == 1:
            values = np.full(n, values[0])
        elif values.size == self.full_hours or values.size == n:
            values = values[:n]
        else:
            self.problems.append(
                Problem(
                    loc,
                    f"series has {values.size} values",
                    values.size,
                    f"give one value per hour of the horizon ({self.full_hours})",
                )
            )
            return np.zeros(n)
        bad = ~np.isfinite(values)
        if lo is not None:
            bad |= values < lo - 1e-9
        if hi is not None:
            bad |= values > hi + 1e-9
        if bad.any():
            k = int(np.argmax(bad))
            rng = range_text(lo, hi)
            self.problems.append(
                Problem(
                    loc,
                    f"hour {k} ({self.hours.text(k)}): value outside {rng}"
                    + (f" ({int(bad.sum())} such hours)" if bad.sum() > 1 else ""),
                    float(values[k]),
                    f"every value must be a finite number in {rng}",
                )
            )
        return values

    def _values(self, spec, loc: str):
        if isinstance(spec, (int, float)):
            return [float(spec)]
        if isinstance(spec, list):
            return spec
        if isinstance(spec, CsvSeries):
            return read_csv_series(self.ls.base_dir / spec.csv, spec.column, loc) * spec.scale
        if isinstance(spec, GeneratorSeries):
            name = spec.generator
            if name not in DECLARED:
                raise InputError(
                    Problem(
                        f"{loc}.generator",
                        "unknown generator",
                        spec.generator,
                        "use one of: " + ", ".join(sorted(GENERATORS)),
                    )
                )
            ctx = GeneratorContext(self.hours, self.ls.base_dir, self.sites, loc)
            params = spec.params()
            key = cache_key(name, ctx, params)
            if key is None:
                return GENERATORS[name](ctx, params)
            # the generator's module is imported only when the series is not in the cache
            return cached_series(
                name, params, key, self.hours, lambda: GENERATORS[name](ctx, params)
            )
        raise InputError(Problem(loc, "not a valid hourly series", spec))


def range_text(lo: float | None, hi: float | None) -> str:
    """``[0, 1]``, ``>= 0`` or ``<= 5`` as a person writes a range."""

    def num(v: float) -> str:
        return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"

    if lo is not None and hi is not None:
        return f"[{num(lo)}, {num(hi)}]"
    if lo is not None:
        return f">= {num(lo)}"
    return f"<= {num(hi)}" if hi is not None else "(-inf, inf)"


def read_csv_series(path: Path, column: str | None, loc: str) -> np.ndarray:
    """The values of a ``{csv: path, column: name}`` series, one per data row [as written].

    The file is read by :func:`gridopt.data.csvfile.read_csv` (comments, delimiter, header
    and blank rows by its rules). The value column is ``column`` or else the only non-empty
    column whose name contains none of ``time``, ``date``, ``hour``. Rows are taken in order
    (timestamps are not read); every cell must be a number (``inf`` and negative numbers are
    passed on, for the range check of the field). ``loc`` is the scenario field, for
    messages. Raises :class:`InputError` naming the file, row and column.
    """
    if not path.exists():
        raise InputError(
            Problem(
                loc,
                "CSV file not found",
                str(path),
                "check the path (relative to the scenario file)",
            )
        )
    t = read_csv_table(
        path,
        str(path),
        empty="the CSV file is empty",
        empty_fix="give a header line and one row per hour of the horizon",
    )
    if column is None:
        values = [
            k
            for k, name in enumerate(t.names)
            if not any(w in name.lower() for w in ("time", "date", "hour"))
            and not all(is_blank(v) for v in t.columns[k])
        ]
        if len(values) != 1:
            raise InputError(
                Problem(
                    loc,
                    f"{path} has {len(values)} value columns besides timestamps",
                    list(t.names),
                    "name the one to read with column:",
                )
            )
        k = values[0]
    elif column in t.names:
        k = t.names.index(column)
    else:
        raise InputError(
            Problem(
                f"{loc}.column",
                f"no such column in {path}",
                column,
                "use one of: " + ", ".join(t.names),
            )
        )
    import pandas as pd  # a CSV series only

    cells = pd.Series(t.columns[k], dtype=object)
    empty = cells.map(is_missing).to_numpy(dtype=bool)
    text = cells.map(lambda v: v.strip() if isinstance(v, str) else v).where(~empty, None)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(values)
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            Problem(
                f"{path}: row {t.rows[i]}, column {t.names[k]}",
                "empty cell" if empty[i] else "not a number",
                None if empty[i] else cells.iloc[i],
                "give a number in every row",
            )
        )
    return values
