"""The package's modules stay small enough to live in: one concept each, none over 450 lines."""

from __future__ import annotations

from conftest import ROOT

LIMIT = 450
EXEMPT = {
    "sim/model/params.py",  # the one declaration of every parameter (DESIGN.md, principle 3)
}


def test_no_module_of_the_package_exceeds_the_limit():
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in (ROOT / "sim").rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > LIMIT and name not in EXEMPT} == {}


def test_the_model_is_what_its_mechanisms_take():
    import sim
    from sim.model.standing import Standing, effective_power
    from sim.model.world import build

    model = sim.AllianceModel(build(sim.load("karabakh_2020")), rng=0)
    assert isinstance(model, Standing), "every member the mechanisms read is the model's"
    model.step()
    expected = effective_power(model.power, model.nuclear, model.params.nuclear_bonus)
    assert (model.effective_power() == expected).all()
