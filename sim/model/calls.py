"""Step 4 of a period: the commitments that new wars call, scored at once and decided.

For every war that began this period, each belligerent is a partner that calls on every
state bound to it by a duty-carrying commitment (except those already in the war and its
backers); an attacked partner's neighbours, and the attacker's, and the holders of sites in
the theatre are asked too when no commitment binds them but their stakes reach
``interest_floor`` (their decisions are recorded as not bound: they intervene or stay out).
All calls are scored together by the kernel (:func:`sim.model.decide.score`); then, in this
order, a perception draw per call, a draw whether the partner invokes the commitment and a
draw whether the guarantor fights. A guarantor that fights joins its
partner's side; one that violates a bilateral alliance may end it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.model.decide import STAKES, Calls, Situation, diluted, score, signed_weights, stakes
from sim.model.wars import Front, War

if TYPE_CHECKING:
    from sim.model.alliance_model import AllianceModel

Called = tuple[Front, int, bool, float, bool]
"""One call: the front (partner and war), the guarantor, whether a commitment covers the
theatre, the strongest covering commitment's text, and whether a commitment binds it."""


class Summons:
    """Who is called to the period's new wars, and what each guarantor decides.

    Args:
        model: the model whose guarantors are called.
    """

    def __init__(self, model: AllianceModel) -> None:
        self.model = model
        self._text_of = np.zeros(0)

    def decide(self, wars: list[War]) -> None:
        """Call the guarantors and the interested states to the new ``wars``; settle them."""
        m = self.model
        called = [
            (front, g, covered, text, True)
            for war in wars
            for front in war.fronts()
            for g, covered, text in self._called(front)
        ]
        if not wars:
            return
        situation = m.war_situation = m.situation()
        called += [
            (front, g, False, 0.0, False)
            for war in wars
            for front in war.fronts()
            for g in self._interested(front, situation)
        ]
        if not called:
            return
        calls = self._calls(called)
        noise = m.rng.normal(0.0, m.params.perception_noise, len(calls))
        scores = score(calls, situation, m.params, noise)
        invoked = m.rng.random(len(calls)) < m.params.invoke_probability
        fights = m.rng.random(len(calls)) < scores.p_honour
        triggered = calls.covered & invoked
        for (front, g, *_), was_triggered, fought in zip(called, triggered, fights, strict=True):
            self._settle(front, g, bool(was_triggered), bool(fought))
        bound = np.array([b for *_, b in called], dtype=bool)
        fronts = [front for front, *_ in called]
        m.recorder.decisions(fronts, calls, triggered, fights, scores, bound)

    def _interested(self, front: Front, situation: Situation) -> list[int]:
        """Return the states no commitment binds to an attacked partner that have a stake.

        A state near the partner or the attacker (a border or a narrow sea), or holding
        sites in the theatre, is asked when its stakes add up to ``interest_floor``
        log-odds or more; its decision is recorded as not bound.
        """
        m, war = self.model, front.war
        if not front.defensive:
            return []
        taken = set(np.flatnonzero(self._bound_to(front.partner)).tolist())
        taken |= war.camp(0) | war.camp(1) | set(war.backers) | set(war.defender_backers)
        near = m.near[front.partner] | m.near[front.adversary] | self._holds_sites(war.theatre)
        found = [int(g) for g in np.flatnonzero(near & m.alive) if int(g) not in taken]
        if not found:
            return []
        probe = self._calls([(front, g, False, 0.0, False) for g in found])
        values = stakes(probe, situation, m.params) * signed_weights(m.params)
        weigh = values[:, STAKES].sum(axis=1)
        return [g for g, w in zip(found, weigh, strict=True) if w >= m.params.interest_floor]

    def _bound_to(self, partner: int) -> NDArray[np.bool_]:
        """Return which states a duty-carrying commitment in force binds to ``partner``."""
        book = self.model.book
        rows = book.duties(self.model.period) & book.members[:, partner]
        return np.asarray(book.guarantors[rows].any(axis=0))

    def _holds_sites(self, theatre: int) -> NDArray[np.bool_]:
        """Return which states hold open sites in a territory."""
        m, w = self.model, self.model.world
        holders = np.zeros(w.n, dtype=bool)
        inside = (w.site_territory == theatre) & m.site_open
        holders[w.site_holder[inside]] = True
        return holders

    def _called(self, front: Front) -> list[tuple[int, bool, float]]:
        """Return (guarantor, covered, text) for every state with a duty to the partner.

        The text is the strongest covering commitment's, thinned by the number of its other
        guarantors of this partner (:func:`sim.model.decide.diluted`).
        """
        book, war = self.model.book, front.war
        rows = book.duties(self.model.period) & book.members[:, front.partner]
        excluded = war.camp(0) | war.camp(1) | set(war.backers) | set(war.defender_backers)
        bound = np.flatnonzero(self._bound_to(front.partner))
        war.allies[front.side].update(int(g) for g in bound if g != front.partner)
        covering = book.guarantors & (rows & book.covers[:, war.theatre] & front.defensive)[:, None]
        others = (book.guarantors.sum(axis=1) - book.guarantors[:, front.partner]).astype(float)
        texts = diluted(self._texts(), others, self.model.params)
        text = np.where(covering, texts[:, None], 0.0).max(axis=0, initial=0.0)
        covered = covering.any(axis=0)
        return [(int(g), bool(covered[g]), float(text[g])) for g in bound if g not in excluded]

    def _texts(self) -> NDArray[np.float64]:
        """Return the text strength of every commitment in the book."""
        kinds = self.model.book.kinds
        if len(self._text_of) != len(kinds):  # rows are only ever added, never change kind
            self._text_of = np.array([self._text(kind) for kind in kinds])
        return self._text_of

    def _text(self, kind: str) -> float:
        """Return how strongly a commitment of one kind is worded (its ``text_*`` weight)."""
        p = self.model.params
        return {
            "defence_pact": p.text_defence_pact,
            "coalition": p.text_defence_pact,
            "basing": p.text_basing,
            "consultation": p.text_consultation,
        }.get(kind, 0.0)

    def _calls(self, called: list[Called]) -> Calls:
        """Return the calls as the kernel's arrays, a row per call."""
        backers = np.zeros((len(called), self.model.world.n), dtype=bool)
        for k, (front, *_) in enumerate(called):
            backers[k, front.adversary_backers] = True
        return Calls(
            guarantor=np.array([g for _, g, *_ in called], dtype=np.int64),
            partner=np.array([f.partner for f, *_ in called], dtype=np.int64),
            adversary=np.array([f.adversary for f, *_ in called], dtype=np.int64),
            theatre=np.array([f.war.theatre for f, *_ in called], dtype=np.int64),
            scale=np.array([f.war.scale for f, *_ in called]),
            backers=backers,
            covered=np.array([c for _, _, c, *_ in called], dtype=bool),
            text=np.array([t for _, _, _, t, _ in called]),
        )

    def _settle(self, front: Front, g: int, triggered: bool, fights: bool) -> None:
        """Apply one decision: a guarantor that fights joins its partner's side."""
        if fights:
            front.war.sides[front.side].add(g)
        elif triggered:  # violated
            self._end_on_violation(g, front.partner)

    def _end_on_violation(self, g: int, partner: int) -> None:
        """A violated bilateral alliance between ``g`` and ``partner`` may end."""
        m, book = self.model, self.model.book
        bilateral = book.members.sum(axis=1) == 2
        rows = book.alliances(m.period) & bilateral & book.guarantors[:, g]
        for row in np.flatnonzero(rows & book.members[:, partner]):
            if m.rng.random() < m.params.end_on_violation:
                book.end(int(row), m.period, "violated", m.demand)
