"""What a new user installs (`pip install -e ".[test]"`, pyproject.toml) is what gridopt and its
tests import: every third-party module is declared, the dependencies whose private interfaces
gridopt touches have an upper bound, and the CJK font comes from the declared font package."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = {"gridopt", "cli", "tests", "benchmarks"}
tomllib = pytest.importorskip("tomllib")  # Python >= 3.11


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> dict[str, str]:
    """Normalised distribution name -> requirement text, of the dependencies and every extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    out = {}
    for r in reqs:
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[([^\]]*)\])?", r)
        out[_norm(m.group(1))] = r
        for extra in filter(None, (m.group(2) or "").split(",")):
            # a declared extra declares what it requires (dask[distributed] -> distributed)
            for sub in importlib.metadata.requires(m.group(1)) or []:
                if re.search(rf"extra\s*==\s*['\"]{re.escape(extra.strip())}['\"]", sub):
                    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", sub).group(1)
                    out.setdefault(_norm(name), sub)
    return out


def _optional() -> set[str]:
    """Normalised names of the distributions in the optional extras other than ``test``
    (``bench``), which only the benchmarks import and a test environment may not have."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = set()
    for name, reqs in project.get("optional-dependencies", {}).items():
        if name != "test":
            out |= {_norm(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", r).group(1)) for r in reqs}
    return out


def _imports() -> dict[str, set[str]]:
    """Top-level module -> files importing it, over gridopt/, cli.py, tests/ and benchmarks/."""
    files = [ROOT / "cli.py"]
    for folder in ("gridopt", "tests", "benchmarks"):
        files += sorted((ROOT / folder).rglob("*.py"))
    out: dict[str, set[str]] = {}
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for n in names:
                out.setdefault(n.split(".")[0], set()).add(str(f.relative_to(ROOT)))
    return out


def test_every_imported_module_is_declared():
    """A module imported by gridopt, cli.py, the tests or the benchmarks that pyproject.toml
    does not declare works only where something else happened to install it (Pillow came with
    matplotlib; pydantic_core with pydantic)."""
    declared = _requirements()
    dists = importlib.metadata.packages_distributions()
    optional = _optional()
    problems = []
    for module, where in sorted(_imports().items()):
        if module in FIRST_PARTY or module in sys.stdlib_module_names:
            continue
        names = {_norm(d) for d in dists.get(module, [])}
        if not names and _norm(module) in optional:
            continue  # an optional extra's (bench: pypsa), declared, not installed here
        if not names:
            problems.append(f"{module} (imported by {', '.join(sorted(where))}) is not installed")
        elif not names & set(declared):
            problems.append(
                f"{module} (distribution {', '.join(sorted(names))}; imported by "
                f"{', '.join(sorted(where))}) is not declared in pyproject.toml"
            )
    assert not problems, "\n".join(problems)


def test_private_interfaces_have_an_upper_bound():
    """gridopt sets Pyomo's VarData slots `_lb`/`_ub` and builds LinearExpression from its
    internals, and fills highspy's HighsLp fields: a new major version may change them."""
    declared = _requirements()
    for name in ("pyomo", "highspy"):
        assert re.search(r"<\s*\d", declared[name]), f"{declared[name]}: no upper bound"
    assert "mplfonts" not in declared


def test_cjk_font_is_the_simplified_chinese_face_of_the_declared_package(monkeypatch):
    """Without GRIDOPT_CJK_FONT the reports use the Noto Sans CJK collection of the declared
    package noto-cjk-sans-otc, its Simplified Chinese face (index 2 of JP, KR, SC, TC, HK), in
    the HTML subset and in matplotlib's PNGs; GRIDOPT_CJK_FONT overrides it."""
    from matplotlib import get_data_path

    from gridopt.report import png
    from gridopt.report.fonts import FONT_ENV, cjk_font

    monkeypatch.delenv(FONT_ENV, raising=False)
    face = cjk_font()
    assert face is not None and "noto_cjk_sans_otc" in face.path.parts
    assert (face.index, face.family) == (2, "Noto Sans CJK SC")
    assert png._rc("zh")["font.family"][0] == "Noto Sans CJK SC"
    latin = Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    monkeypatch.setenv(FONT_ENV, os.fspath(latin))
    face = cjk_font()
    assert (face.path, face.index, face.family) == (latin, 0, "DejaVu Sans")
