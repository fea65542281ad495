"""The import graph of the ``gridopt`` package has no cycle, and the command line and the
scenario checks import no heavy library (:data:`HEAVY`) before they need it.

The graph is read from the source with :mod:`ast`, without importing anything: every ``import``
and ``from ... import`` statement, at module level and inside functions, that names a gridopt
module gives an edge from the importing module to

- ``import a.b.c``: the module ``a.b.c``;
- ``from a.b import c``: the module ``a.b`` (the names are read from its namespace, so its
  ``__init__`` must have run) and, if ``c`` is a submodule, ``a.b.c`` too.

The packages above an imported module (which Python also imports first) are not edges: a
package ``__init__`` that imports its submodules is the usual layout, not a circle. An import
of a module by itself (``from gridopt.report import data`` inside ``gridopt/report/__init__``)
is not an edge either.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import gridopt

ROOT = Path(gridopt.__file__).parent


def module_names() -> dict[str, Path]:
    """Every module of the package: dotted name -> file."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """``name`` or the longest dotted prefix of it that is a gridopt module (None: not gridopt)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    """Module -> the gridopt modules it imports (rules in the module docstring)."""
    modules = module_names()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str | None] = []
            if isinstance(node, ast.Import):
                targets = [_known(a.name, modules) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: resolve against the importing module's package
                    package = mod if is_package else mod.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        package = package.rpartition(".")[0]
                    base = f"{package}.{node.module}" if node.module else package
                else:
                    base = node.module or ""
                targets = [_known(base, modules)]
                targets += [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
            graph[mod].update(t for t in targets if t is not None and t != mod)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a list of modules, the first repeated at the end) per strongly connected
    component with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                components.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    cycles = []
    for comp in components:  # walk from the first module back to it inside the component
        members, start = set(comp), min(comp)
        path, seen = [start], {start}
        while True:
            nxt = sorted(w for w in graph[path[-1]] if w in members)
            back = [w for w in nxt if w == start]
            if back and len(path) > 1:
                cycles.append(path + [start])
                break
            step = next((w for w in nxt if w not in seen), None)
            if step is None:  # dead end on this greedy walk: report the component as it is
                cycles.append(sorted(comp))
                break
            path.append(step)
            seen.add(step)
    return cycles


def test_graph_is_read():
    graph = import_graph()
    assert "gridopt.report.html" in graph["gridopt.report"]  # inside make_report
    assert "gridopt.report.i18n" in graph["gridopt.tenant.tables"]
    assert "gridopt.model" in graph["gridopt.tenant.study"]


def test_find_cycles_finds_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles in gridopt:\n" + "\n".join(" -> ".join(c) for c in cycles)


HEAVY = ("plotly", "matplotlib", "dask", "pvlib", "pyomo", "windpowerlib", "scipy", "highspy")
"""Libraries that take from a tenth of a second to seconds to import: each is imported by the
code that uses it, when it runs (docs/performance.md)."""


def fresh_python(code: str, env: dict[str, str] | None = None) -> str:
    """What ``code`` prints in a fresh interpreter (this test process has imported everything
    already), run from the repository root with ``env`` added to the environment."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT.parent,
        env={**os.environ, **(env or {})},
    ).stdout


def imported_after(
    statement: str, env: dict[str, str] | None = None, names: tuple[str, ...] = HEAVY
) -> set[str]:
    """The libraries ``names`` (:data:`HEAVY`) in ``sys.modules`` after ``statement``, in a
    fresh interpreter (:func:`fresh_python`)."""
    code = f"import sys\n{statement}\nprint('\\n' + ' '.join(m for m in {names!r} if m in sys.modules))"
    out = fresh_python(code, env).rsplit("\n", 2)[-2].split()  # the last line printed
    return set(out)


def test_cli_imports_no_heavy_library():
    """``gridopt --help`` and every command's option parsing stay instant."""
    assert imported_after("import cli") == set()


def test_validating_a_scenario_needs_no_solver_or_charts():
    """The scenario schema and the input builder (``gridopt validate``) declare every family
    without Pyomo, and compute weather-to-power with pvlib only when a series is not cached."""
    assert imported_after("import gridopt.inputs, gridopt.scenario.schema") == set()


def test_validate_command_imports_no_heavy_library(tmp_path):
    """``gridopt validate`` of the default scenario, start to end (schema, every hourly series,
    the input Dataset), with the weather cache warm: none of :data:`HEAVY` -- no dask (xarray
    asks of every array whether it is a dask array: :mod:`gridopt.lazy_dask`), no scipy
    or pvlib (the series come from the cache), no Pyomo, no charts. The first run, on an empty
    cache, computes the weather (pvlib, scipy) but still imports neither dask nor Pyomo."""
    command = (
        "import cli\n"
        "cli.main(['validate', 'scenarios/jiayuguan_jiuquan_2025.yaml'], standalone_mode=False)"
    )
    env = {"GRIDOPT_CACHE_DIR": str(tmp_path)}
    assert not imported_after(command, env) & {"dask", "pyomo", "plotly", "matplotlib", "highspy"}
    assert imported_after(command, env, (*HEAVY, "pandas", "xarray")) == set()


def test_validate_reports_a_bad_series_without_pandas(tmp_path):
    """A scenario whose steel works draw 2e6 MW (above the 1e6 MW range of a power series)
    gets its report -- the field, the first hour and its time, the value, the range -- from
    the numpy route too: the hour's time is written without pandas."""
    text = (ROOT.parent / "scenarios" / "demo_small.yaml").read_text(encoding="utf-8")
    assert text.count("p_mw: 400 ") == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("p_mw: 400 ", "p_mw: 2000000 "), encoding="utf-8")
    code = (
        "import sys\nfrom gridopt.errors import InputError\nfrom gridopt.inputs import load_checked\n"
        f"try:\n    load_checked({str(bad)!r})\nexcept InputError as exc:\n    print(exc)\n"
        "print([m for m in ('pandas', 'xarray') if m in sys.modules])"
    )
    out = fresh_python(code, {"GRIDOPT_CACHE_DIR": str(tmp_path / "cache")})
    assert "p_mw" in out and "hour 0 (2025-01-01 00:00): value outside [0, 1,000,000]" in out
    assert "2e+06" in out or "2000000" in out
    assert out.rstrip().endswith("[]")
