"""The small frictions a newcomer meets: options that agree, nothing silently ignored."""

from __future__ import annotations


def test_plots_without_a_folder_are_refused(main):
    code, _, err = main("run", "karabakh_2020", "--plots")
    assert code == 2 and "expected --out DIR too" in err
