"""Tables kept as columns: the rows, their order, their run, and tables with no rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model.records import Ledger, Panel, gather


def test_a_ledger_joins_batches_in_order_with_strings_as_objects():
    ledger = Ledger(("period", "state", "value"))
    ledger.add(period=[0, 0], state=np.array(["A", "B"], dtype=object), value=np.array([1.0, 2.0]))
    ledger.add(period=[1], state=["C"], value=[3.0])
    table = ledger.table()
    expected = pd.DataFrame(
        {"period": [0, 0, 1], "state": ["A", "B", "C"], "value": [1.0, 2.0, 3.0]}
    )
    pd.testing.assert_frame_equal(table, expected)


def test_gathered_runs_carry_their_number_and_runs_without_rows_add_none():
    runs = [Ledger(("x",)) for _ in range(3)]
    runs[0].add(x=[1, 2])
    runs[2].add(x=[3])
    table = gather(runs, [5, 6, 7])
    assert table["run"].tolist() == [5, 5, 7] and table["x"].tolist() == [1, 2, 3]
    assert gather([Ledger(("x",))], [0]).empty and gather([], []).empty


def test_a_panel_keeps_the_states_present_period_by_period():
    panel = Panel(["A", "B", "C"], ["2020-01", "2020-02"], ("power",))
    panel.add(0, np.array([True, False, True]), np.array([1.0, 9.0, 3.0]))
    panel.add(1, np.array([True, True, False]), np.array([4.0, 5.0, 9.0]))
    other = Panel(["A", "B", "C"], ["2020-01", "2020-02"], ("power",))
    other.add(0, np.array([False, True, False]), np.array([0.0, 7.0, 0.0]))
    table = gather([panel, other], [0, 1])
    assert table.columns.tolist() == ["run", "period", "date", "state", "power"]
    assert table["run"].tolist() == [0, 0, 0, 0, 1]
    assert table["state"].tolist() == ["A", "C", "A", "B", "B"]
    assert table["date"].tolist() == ["2020-01"] * 2 + ["2020-02"] * 2 + ["2020-01"]
    assert table["power"].tolist() == [1.0, 3.0, 4.0, 5.0, 7.0]
    assert panel.table()["power"].tolist() == [1.0, 3.0, 4.0, 5.0]
