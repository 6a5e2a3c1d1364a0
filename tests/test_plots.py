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
    assert len(legend) == 3 and all("median" in t for t in legend[:2])
    assert legend[2] == "still in force (censored)"
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
    assert set(_legend(figure)) == {alliance_plots.reason_words(r) for r in a["reason"]}
    assert "the common threat is gone" in _legend(figure)


def _artists(ax, prefix: str) -> list:
    return [a for a in [*ax.patches, *ax.collections] if str(a.get_gid()).startswith(prefix)]


def test_network_places_states_at_their_capitals_on_a_map():
    states = pd.DataFrame(
        {"state": ["AAA", "BBB"], "lat": [10.0, 20.0], "lng": [30.0, 40.0], "power": [0.1, 0.2]}
    )
    alliances = pd.DataFrame(
        {"alliance": ["pact"], "kind": ["defence_pact"], "members": ["AAA;BBB"]}
    )
    figure = alliance_plots.network(states, alliances, "net")
    ax = figure.axes[0]
    (dots,) = _artists(ax, "states")
    np.testing.assert_allclose(dots.get_offsets(), [[30.0, 10.0], [40.0, 20.0]])
    (line,) = _artists(ax, "alliance:pact")
    np.testing.assert_allclose(sorted([line._posA_posB[0][0], line._posA_posB[1][0]]), [30, 40])
    assert len([p for p in ax.patches if p.get_gid() is None]) > 100, "the coastlines"
    legend = _legend(figure)
    assert "defence pact" in legend and "power (CINC share)" in legend
    assert "nuclear-armed (thick rim)" in legend


def test_a_pact_of_three_is_a_hub_and_pacts_on_one_pair_bend_apart():
    states = pd.DataFrame(
        {
            "state": ["AAA", "BBB", "CCC"],
            "lat": [0.0, 0.0, 30.0],
            "lng": [0.0, 30.0, 15.0],
            "power": [0.1, 0.1, 0.1],
        }
    )
    alliances = pd.DataFrame(
        {
            "alliance": ["trio", "pair", "base"],
            "kind": ["coalition", "defence_pact", "basing"],
            "members": ["AAA;BBB;CCC", "AAA;BBB", "AAA;BBB"],
        }
    )
    ax = alliance_plots.network(states, alliances, "net").axes[0]
    (hub,) = _artists(ax, "hub:trio")
    # the point nearest all members together (for three, the Fermat point), not their mean
    np.testing.assert_allclose(hub.get_offsets(), [[15.0, 15 * np.tan(np.pi / 6)]], rtol=1e-4)
    assert len(_artists(ax, "alliance:trio")) == 3, "one spoke per member, not every pair"
    pair, base = _artists(ax, "alliance:pair")[0], _artists(ax, "alliance:base")[0]
    assert pair.get_connectionstyle().rad != base.get_connectionstyle().rad
    assert "trio" in [t.get_text() for t in ax.texts], "the hub is named"


def test_waterfall_sums_to_the_log_odds_in_words_without_clipping():
    rs = runs_of("karabakh_2020", "karabakh_attack_on_armenia", runs=20)
    exp = explain(rs, "RUS")
    names = dict(zip(rs.world.ids, rs.world.names, strict=True))
    figure = decision_plots.waterfall(exp, names, "Armenia", "counterfactual: attack on Armenia")
    ax = figure.axes[0]
    bars = ax.patches
    assert abs(bars[-1].get_width() - exp.logit) < 1e-9
    assert abs(sum(b.get_width() for b in bars[:-1]) - exp.logit) < 1e-9
    low, high = ax.get_xlim()
    for bar in bars:
        assert low < bar.get_x() < high and low < bar.get_x() + bar.get_width() < high
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "sites at risk (stake)" in labels and not any("_" in label for label in labels)
    title = ax.get_title()
    assert "Will Russia fight for Armenia against Azerbaijan in Armenia" in title
    assert "P(honour)" in title and "counterfactual: attack on Armenia" in title
    assert _legend(figure)[0] == "pushes towards fighting"


def test_honour_distribution_has_one_box_per_decision():
    rs = runs_of("wwii_coalition_1942_1948", runs=30)
    d = rs.decisions.assign(decision=rs.decisions["war"] + ":" + rs.decisions["guarantor"])
    figure = decision_plots.honour_distribution(d, "P(honour)")
    ax = figure.axes[0]
    assert len(ax.get_yticklabels()) == d["decision"].nunique() == 6
    assert ax.get_xlim() == (-0.02, 1.12) and "P(honour)" in ax.get_xlabel()  # room for the means


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
    assert {
        "timeline_karabakh_2020_run0.png",
        "honour_karabakh_2020.png",
        "network_karabakh_2020_run0_2020_09.png",
        "waterfall_karabakh_2020_offensive_2020_rus_arm.png",
    } <= drawn
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


def test_encode_gives_the_bytes_save_writes(tmp_path):
    figure = survival_plots.survival(survival.kaplan_meier(hand_made()), "s")
    png, svg = figures.encode(figure, "png"), figures.encode(figure, "svg")
    figures.close(figure)
    assert png[:4] == b"\x89PNG" and b"<svg" in svg[:500]
    assert figures.encode(figure, "png") == png  # still drawn once pyplot has let it go


def test_figures_of_other_cases_and_periods_do_not_overwrite_each_other(tmp_path, main):
    out, figs = tmp_path / "run", tmp_path / "figs"
    assert main("run", "karabakh_2020", "--runs", "4", "--out", str(out))[0] == 0
    for args in (
        ("honour", "karabakh_2020", "--runs", "4"),
        ("honour", "karabakh_2020", "--overlay", "karabakh_attack_on_armenia", "--runs", "4"),
        ("waterfall", "karabakh_2020", "RUS", "--runs", "4"),
        ("waterfall", "karabakh_attack_on_armenia", "RUS", "--runs", "4"),
        ("network", str(out), "--period", "2020-09"),
        ("network", str(out), "--period", "2021-08"),
    ):
        code, _, err = main("plot", *args, "--out", str(figs))
        assert code == 0, err
    assert {p.name for p in figs.glob("*.png")} == {
        "honour_karabakh_2020.png",
        "honour_karabakh_2020+karabakh_attack_on_armenia.png",
        "waterfall_karabakh_2020_offensive_2020_rus_arm.png",
        "waterfall_karabakh_2020+karabakh_attack_on_armenia_offensive_2020_rus_arm.png",
        "network_karabakh_2020_run0_2020_09.png",
        "network_karabakh_2020_run0_2021_08.png",
    }


def _sweep_table() -> pd.DataFrame:
    grid = [(x, y) for x in (0.0, 2.0, 4.0) for y in (0.0, 0.5)]
    return pd.DataFrame(
        {
            "w_sites": [x for x, _ in grid],
            "technology": [y for _, y in grid],
            "p_honour:war:AAA:BBB": [x / 4 - y / 2 for x, y in grid],
        }
    )


def test_the_heatmap_has_a_tick_and_a_value_in_every_cell():
    from sim.plots import studies

    figure = studies.heatmap(_sweep_table(), "w_sites", "technology", "p_honour:war:AAA:BBB")
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "2", "4"]
    assert list(ax.get_xticks()) == [0, 1, 2] and list(ax.get_yticks()) == [0, 1]
    assert sorted(t.get_text() for t in ax.texts) == sorted(
        f"{v:.2f}" for v in _sweep_table()["p_honour:war:AAA:BBB"]
    )
    assert ax.get_xlabel().startswith("w_sites: weight of the guarantor's own strategic sites")
    assert "P(honour): AAA for BBB (war)" in ax.get_title()


def test_a_latin_hypercube_is_a_coloured_scatter():
    from sim.plots import studies

    table = _sweep_table()
    ax = studies.scatter(table, "w_sites", "technology", "p_honour:war:AAA:BBB").axes[0]
    (points,) = ax.collections
    np.testing.assert_allclose(points.get_array(), table["p_honour:war:AAA:BBB"])


def test_sobol_shows_first_order_beside_total_and_morris_its_plane():
    from sim.plots import studies

    indices = pd.DataFrame(
        {"S1": [0.5, 0.1], "S1_conf": [0.1, 0.1], "ST": [0.6, 0.3], "ST_conf": [0.1, 0.1]},
        index=pd.Index(["w_sites", "technology"], name="parameter"),
    )
    ax = studies.sobol(indices, "p_honour:war:AAA:BBB").axes[0]
    assert [round(b.get_width(), 3) for b in ax.patches] == [0.5, 0.1, 0.6, 0.3]
    assert any(t.startswith("first order (S1)") for t in _legend(ax.figure))
    morris = pd.DataFrame(
        {"mu_star": [0.7, 0.2], "mu_star_conf": [0.1, 0.1], "sigma": [0.5, 0.2]},
        index=pd.Index(["w_sites", "technology"], name="parameter"),
    )
    plane = studies.morris_plane(morris, "p_honour:war:AAA:BBB").axes[0]
    np.testing.assert_allclose(plane.collections[0].get_offsets(), [[0.7, 0.5], [0.2, 0.2]])
    assert {t.get_text() for t in plane.texts} == {"w_sites", "technology"}


def test_the_calibration_history_counts_whole_trials_and_shows_the_defaults():
    from sim.plots import studies

    ax = studies.optimisation_history([0.3, 0.2, 0.25], 0.22, "t").axes[0]
    ax.figure.canvas.draw()
    assert all(float(t).is_integer() for t in ax.get_xticks())
    defaults = [line for line in ax.lines if line.get_label() == "default parameters"]
    assert defaults and list(defaults[0].get_ydata()) == [0.22, 0.22]


def test_labels_placed_around_points_do_not_overlap():
    import matplotlib.pyplot as plt

    from sim.plots.common import place_labels

    figure, ax = plt.subplots()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    labels = place_labels(ax, [(0.5, 0.5)] * 4, ["first", "second", "third", "fourth"])
    renderer = figure.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for label in labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
