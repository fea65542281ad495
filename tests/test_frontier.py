"""The price frontier (``gridopt plan --frontier``): warm re-solves at each step of a policy
target, against hand-solved figures and against cold solves.

The network is the dispatch case of tests/test_policy.py: one bus, 100 MW of load over 2
hours (200 MWh), a coal unit at 210 CNY/MWh emitting 0.8 t/MWh and 100 MWh of wind at a
variable cost of 250 CNY/MWh. A green share s needs 200 s MWh of wind in place of coal, each
MWh 40 CNY dearer: operating cost 42,000 + 8,000 s CNY, shadow price 40 CNY/MWh. A CO2 cap C
allows C / 0.8 MWh of coal: cost 42,000 + 40 x (200 - C / 0.8) CNY, shadow price 40 / 0.8 = 50
CNY/t.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from gridopt.errors import InputError
from gridopt.frontier import frontier, parse_frontier
from gridopt.run import run_scenario
from tests.test_policy import dispatch_case


def write(tmp_path, policy: dict):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(dispatch_case(policy)))
    return path


def test_green_share_frontier_by_hand_and_equal_to_cold_solves(tmp_path):
    """Shares 0.2, 0.3, 0.4, 0.5: operating cost 43,600, 44,400, 45,200, 46,000 CNY, each
    binding at 40 CNY/MWh; each warm step equals a cold plan at that share (1e-9); the
    delivered price never falls as the target rises."""
    path = write(tmp_path, {"green_share_min_fraction": 0.2})
    table = frontier(path, "green_share=0.2:0.5:0.1", tmp_path / "out", lang="en")
    assert table["green_share"].tolist() == pytest.approx([0.2, 0.3, 0.4, 0.5])
    assert table["operating_cost_cny"].tolist() == pytest.approx([43_600, 44_400, 45_200, 46_000])
    assert table["shadow_price"].tolist() == pytest.approx([40] * 4)
    assert table["achieved"].tolist() == pytest.approx([0.2, 0.3, 0.4, 0.5])
    assert (table["delivered_price_cny_per_kwh"].diff().dropna() >= -1e-12).all()
    for share, cost in zip(table["green_share"], table["operating_cost_cny"]):
        cold = run_scenario(write(tmp_path, {"green_share_min_fraction": float(share)}), plan=True)
        assert float(cold.results["objective_cny"]) == pytest.approx(cost, rel=1e-9)
    written = pd.read_csv(tmp_path / "out" / "frontier.csv")
    assert written["operating_cost_cny"].tolist() == pytest.approx(table["operating_cost_cny"])
    assert (tmp_path / "out" / "frontier.png").stat().st_size > 10_000


def test_co2_frontier_by_hand(tmp_path):
    """Caps 150, 125, 100 t: coal 187.5, 156.25, 125 MWh; operating cost 42,500, 43,750,
    45,000 CNY; shadow price 50 CNY/t."""
    path = write(tmp_path, {"co2_max_t": 150})
    table = frontier(path, "co2_max_t=150:100:-25", tmp_path / "out", lang="en")
    assert table["operating_cost_cny"].tolist() == pytest.approx([42_500, 43_750, 45_000])
    assert table["shadow_price"].tolist() == pytest.approx([50] * 3)
    assert table["emissions_t"].tolist() == pytest.approx([150, 125, 100])


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("green_share", "no '='"),
        ("blue_share=0.1:0.2:0.1", "unknown target"),
        ("green_share=0.1:0.2", "START:STOP:STEP"),
        ("green_share=0.1:0.2:x", "must be numbers"),
        ("green_share=0.5:0.2:0.1", "towards STOP"),
        ("green_share=0.5:1.5:0.5", "outside"),
        ("green_share=0:1:0.001", "at most 200"),
    ],
)
def test_a_bad_range_is_one_clear_error(text, fragment):
    with pytest.raises(InputError, match=fragment):
        parse_frontier(text)


def test_cli_checks_the_range_before_solving(tmp_path):
    """A bad --frontier fails with one 'error:' line naming the option; nothing is written."""
    path = write(tmp_path, {"green_share_min_fraction": 0.2})
    result = CliRunner().invoke(
        main, ["plan", str(path), "--frontier", "green_share=1:2:1", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code != 0
    assert "error:" in result.output and "--frontier" in result.output
    assert not (tmp_path / "o").exists()
