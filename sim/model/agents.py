"""State agents: every state, great or small, is the same kind of agent with its own figures."""

from __future__ import annotations

import mesa

from sim.model.standing import Standing


class StateAgent(mesa.Agent):
    """A state. Its figures live in the model's arrays, so that pairwise work stays vectorised.

    Attributes:
        index: the state's position in every array of the model.
        state_id: its COW abbreviation.
        name: its name.
    """

    model: Standing

    def __init__(self, model: Standing, index: int, state_id: str, name: str) -> None:
        super().__init__(model)
        self.index = index
        self.state_id = state_id
        self.name = name

    @property
    def power(self) -> float:
        """Capability share (COW CINC) in the current period, after defeats and shocks."""
        return float(self.model.power[self.index])

    @property
    def effective_power(self) -> float:
        """Power with the extra weight of nuclear arms."""
        return float(self.model.effective_power()[self.index])

    @property
    def nuclear(self) -> bool:
        """Whether the state has deliverable nuclear weapons now."""
        return bool(self.model.nuclear[self.index])

    @property
    def capital(self) -> tuple[float, float]:
        """The capital's latitude and longitude."""
        return self.model.world.capitals[self.index]

    @property
    def borders(self) -> tuple[str, ...]:
        """The states this state borders by land now (COW contiguity type 1)."""
        ids = self.model.world.ids
        return tuple(ids[j] for j in self.model.borders[self.index].nonzero()[0])

    @property
    def sites(self) -> tuple[str, ...]:
        """The open strategic sites this state holds, on its own or others' territory."""
        w = self.model.world
        held = (w.site_holder == self.index) & self.model.site_open
        return tuple(w.site_ids[k] for k in held.nonzero()[0])

    @property
    def ally_value(self) -> float:
        """How useful its clients are to this state as a patron now (sites, buffers; P7)."""
        return float(self.model.ally_value[self.index])

    @property
    def demand_for_allies(self) -> float:
        """How much the state needs allies now: the largest threat it feels (P4)."""
        return float(self.model.demand[self.index])

    def __repr__(self) -> str:
        """Show the state's id and figures."""
        return f"StateAgent({self.state_id}, power={self.power:.4f}, nuclear={self.nuclear})"
