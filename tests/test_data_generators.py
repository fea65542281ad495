"""The generator registry: every declared generator is defined in its module and every
defined one is declared; a module is imported only when one of its generators runs."""

from __future__ import annotations

from importlib import import_module

import pytest

from gridopt.data import generators
from gridopt.data.generators import DECLARED, GENERATORS, WEATHER_GENERATORS, generator
from tests.test_imports import fresh_python


def test_every_declared_generator_is_defined_in_its_module_and_back():
    """Importing every declared module registers exactly the declared names, each from the
    module :data:`DECLARED` names."""
    for module in {d.module for d in DECLARED.values()}:
        import_module(module)
    assert set(generators._FUNCTIONS) == set(DECLARED)
    for name, d in DECLARED.items():
        assert GENERATORS[name].__module__ == d.module, name
    assert sorted(GENERATORS) == sorted(DECLARED) and len(GENERATORS) == len(DECLARED)
    assert WEATHER_GENERATORS == {"solar", "wind"}


def test_an_undeclared_or_misplaced_generator_is_refused():
    def made_here(ctx, params):
        return None

    with pytest.raises(ValueError, match="not declared"):
        generator("no_such_generator")(made_here)
    with pytest.raises(ValueError, match="not declared"):
        generator("solar")(made_here)  # declared in gridopt.data.solar, not in this test
    with pytest.raises(KeyError):
        GENERATORS["no_such_generator"]


def test_a_generator_module_is_imported_when_it_runs():
    """Looking up ``steel_works`` imports gridopt.data.loads, which is not imported before
    (a fresh interpreter: this process has imported everything)."""
    code = (
        "import sys\n"
        "from gridopt.data.generators import GENERATORS\n"
        "print('gridopt.data.loads' in sys.modules)\n"
        "f = GENERATORS['steel_works']\n"
        "print('gridopt.data.loads' in sys.modules, f.__module__)\n"
    )
    assert fresh_python(code).split() == ["False", "True", "gridopt.data.loads"]
