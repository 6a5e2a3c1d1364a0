"""Each figure drawn headless and its content checked: the plotted data, labels and legend."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection

from sim.analysis import survival
from sim.analysis.explain import explain
from sim.plots import alliances as alliance_plots
from sim.plots import common as figures
from sim.plots import decisions as decision_plots
from sim.plots import survival as survival_plots

from conftest import runs_of
from test_survival import hand_made


def _legend(figure) -> list[str]:
    return [t.get_text() for t in figure.axes[0].get_legend().get_texts()]


def test_survival_figure_plots_the_curves_bands_and_medians():
    groups = survival.kaplan_meier(hand_made(), "era")
    figure = survival_plots.survival(groups, "Alliance survival by era")
    ax = figure.axes[0]
    assert ax.get_xlabel() == "years since the alliance began"
    assert ax.get_ylabel() == "share of alliances still in force"
    assert ax.get_title() == "Alliance survival by era"
    legend = _legend(figure)
    assert len(legend) == 2 and all("median" in t for t in legend)
    first = groups[0].fitter.survival_function_.iloc[:, 0].to_numpy()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), first)
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2  # the 95% bands


def test_survival_and_incidence_by_era_set_each_source_beside_the_other():
    spells = hand_made()
    early, late = spells[spells["era"] == "before 1945"], spells[spells["era"] != "before 1945"]
    panels = {
        "1816-1944": survival.kaplan_meier(early, None, "simulated")
        + survival.kaplan_meier(late, None, "real"),
        "1945-2003": survival.kaplan_meier(late, None, "simulated"),
    }
    figure = survival_plots.survival_by_era(panels, "How long alliances last")
    assert [ax.get_title() for ax in figure.axes] == ["begun 1816-1944", "begun 1945-2003"]
    assert [len(ax.lines) for ax in figure.axes] == [3, 2]  # the curves and the line at one half
    assert all("median" in t.get_text() for t in figure.axes[0].get_legend().get_texts())
    curves = {
        "1816-1944": {
            "simulated": survival.cumulative_incidence(early, "reason"),
            "real": survival.cumulative_incidence(late, "reason"),
        },
        "1945-2003": {"simulated": survival.cumulative_incidence(late, "reason")},
    }
    reasons = ("threat_gone", "not_useful")
    grid = survival_plots.incidence_by_era(curves, reasons, "Why alliances ended")
    assert len(grid.axes) == 4 and grid.axes[0].get_title() == "threat gone"
    assert len(grid.axes[0].lines) == 2 and len(grid.axes[2].lines) == 1
    final = curves["1816-1944"]["simulated"]["threat_gone"].iloc[-1, 0]
    assert grid.axes[0].lines[0].get_ydata()[-1] == final


def test_timeline_has_one_bar_per_alliance_coloured_by_reason():
    a = runs_of("wwii_coalition_1942_1948", runs=1).alliances
    figure = alliance_plots.timeline(a, [str(y) for y in range(1942, 1949)], "t")
    ax = figure.axes[0]
    assert len(ax.patches) == len(a)
    assert ax.get_yticklabels()[0].get_text().startswith("grand_alliance")
    assert set(_legend(figure)) == {
        r if r != "censored" else "still in force (censored)" for r in a["reason"]
    }


def test_network_places_states_at_their_capitals():
    states = pd.DataFrame(
        {"state": ["AAA", "BBB"], "lat": [10.0, 20.0], "lng": [30.0, 40.0], "power": [0.1, 0.2]}
    )
    alliances = pd.DataFrame({"kind": ["defence_pact"], "members": ["AAA;BBB"]})
    figure = alliance_plots.network(states, alliances, "net")
    ax = figure.axes[0]
    np.testing.assert_allclose(ax.collections[0].get_offsets(), [[30.0, 10.0], [40.0, 20.0]])
    np.testing.assert_allclose(ax.lines[0].get_xdata(), [30.0, 40.0])
    assert _legend(figure) == ["defence_pact"]
    assert "longitude" in ax.get_xlabel() and "latitude" in ax.get_ylabel()


def test_waterfall_sums_to_the_log_odds():
    rs = runs_of("karabakh_2020", "karabakh_attack_on_armenia", runs=20)
    exp = explain(rs, "RUS")
    figure = decision_plots.waterfall(exp, dict(zip(rs.world.ids, rs.world.names, strict=True)))
    ax = figure.axes[0]
    bars = ax.patches
    assert abs(bars[-1].get_height() - exp.logit) < 1e-9
    assert abs(sum(b.get_height() for b in bars[:-1]) - exp.logit) < 1e-9
    assert "Russia" in ax.get_title() and "P(honour)" in ax.get_title()
    assert _legend(figure)[0] == "pushes towards fighting"


def test_honour_distribution_has_one_box_per_decision():
    rs = runs_of("wwii_coalition_1942_1948", runs=30)
    d = rs.decisions.assign(decision=rs.decisions["war"] + ":" + rs.decisions["guarantor"])
    figure = decision_plots.honour_distribution(d, "P(honour)")
    ax = figure.axes[0]
    assert len(ax.get_yticklabels()) == d["decision"].nunique() == 6
    assert ax.get_xlim() == (0.0, 1.0) and "P(honour)" in ax.get_xlabel()


def test_save_writes_png_and_svg(tmp_path):
    figure = survival_plots.survival(survival.kaplan_meier(hand_made()), "s")
    paths = figures.save(figure, tmp_path / "survival")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert paths[0].read_bytes()[:4] == b"\x89PNG" and b"<svg" in paths[1].read_bytes()[:500]


def test_plot_commands_and_run_plots(tmp_path):
    from conftest import cli

    out = tmp_path / "run"
    result = cli("run", "karabakh_2020", "--runs", "10", "--out", str(out), "--plots")
    assert result.returncode == 0, result.stderr
    drawn = {p.name for p in (out / "plots").glob("*.png")}
    assert {"timeline.png", "honour.png", "network_2020_09.png"} <= drawn
    assert any(name.startswith("waterfall_offensive_2020_rus_arm") for name in drawn)
    figs = tmp_path / "figs"
    for args in (
        ("timeline", str(out)),
        ("network", str(out), "--period", "2021-08"),
        ("waterfall", "karabakh_2020", "RUS", "--runs", "10"),
        ("honour", "wwii_coalition_1942_1948", "--runs", "10"),
    ):
        result = cli("plot", *args, "--out", str(figs))
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("wrote") == 2
    bad = cli("plot", "network", str(out), "--period", "1999", "--out", str(figs))
    assert bad.returncode == 2 and "expected one of" in bad.stderr
