"""``bound`` in a history's decisions (issue 32, item 2): misuse refused with file, line and path.

A decision ``bound: false`` is a state's own choice, which no duty governed: it has no duty's
outcome and no ``duty_kept``; a bound decision has no free state's outcome. Montenegro's
division against Bulgaria in 1913 (``balkan_league_1912``, the sixth decision) is
the seed scenarios' example.
"""

from __future__ import annotations

import pytest
from test_bad_input_35 import one_error

MONTENEGRO = "by: 1913-07-31, bound: false, fought: true, conditions_met: false,"
PATH = "history.decisions[5]"


def _edited(scenario_copy, replacement: str):
    """Return a copy of the Balkan League with Montenegro's decision recoded."""

    def edit(text: str) -> str:
        assert MONTENEGRO in text
        return text.replace(MONTENEGRO, replacement)

    return scenario_copy("balkan_league_1912", edit)


def test_the_seed_coding_is_accepted(main, scenario_copy):
    code, out, err = main("validate", str(_edited(scenario_copy, MONTENEGRO)))
    assert code == 0 and out.startswith("ok: ") and not err


@pytest.mark.parametrize(
    ("replacement", "field", "words"),
    [
        (
            "by: 1913-07-31, bound: false, outcome: not_triggered, fought: true,",
            "outcome",
            ("expected intervened or no outcome", "no duty bound", "'not_triggered'"),
        ),
        (
            "by: 1913-07-31, bound: false, outcome: honoured, fought: true,",
            "outcome",
            ("expected intervened or no outcome", "'honoured'"),
        ),
        (
            "by: 1913-07-31, bound: false, outcome: intervened, fought: false,",
            "outcome",
            ("expected stayed_out or no outcome", "did not fight", "'intervened'"),
        ),
        (
            "by: 1913-07-31, outcome: intervened, fought: true,",
            "outcome",
            ("expected a duty's outcome", "write bound: false", "'intervened'"),
        ),
        (
            "by: 1913-07-31, fought: true,",
            "outcome",
            ("expected a duty's outcome", "write bound: false"),
        ),
        (
            "by: 1913-07-31, bound: false, fought: true, duty_kept: true,",
            "duty_kept",
            ("expected no duty_kept where no duty bound",),
        ),
        (
            "by: 1913-07-31, bound: false, fought: true, invoked: true, conditions_met: true,",
            "bound",
            ("expected bound: true", "conditions met binds"),
        ),
        (
            "by: 1913-07-31, bound: 'no', fought: true,",
            "bound",
            ("valid boolean",),
        ),
    ],
)
def test_a_misused_bound_is_refused_with_file_line_and_path(
    main, scenario_copy, replacement, field, words
):
    path = _edited(scenario_copy, replacement)
    line = 1 + path.read_text(encoding="utf-8").splitlines().index(
        next(x for x in path.read_text(encoding="utf-8").splitlines() if replacement in x)
    )
    code, out, err = main("validate", str(path))
    assert code == 2 and not out
    one_error(err, str(path), f"line {line}", f"{PATH}.{field}", *words)
