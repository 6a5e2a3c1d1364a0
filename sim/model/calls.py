"""Step 4 of a period: the commitments that wars call, scored at once and decided.

For every war that began this period (and, each period, every war that asks again), each
belligerent on each front is a partner that calls on every state bound to it by a commitment
it may invoke (except those already in the war and its backers). A commitment applies when
it covers the theatre and its conditions hold: the adversary is one it binds against, the
partner did not provoke the war, enough states attack, the war is the one it names
(:mod:`sim.scenario.schema`, ``against`` and ``conditions``). Any living state that no
commitment binds to an attacked partner is asked too, wherever it stands, when its own
stakes in the war reach ``interest_floor`` (its decisions are recorded as not bound: it
intervenes or stays out); distance and reach weigh only as costs in the decision. All calls
are scored together by the kernel (:func:`sim.model.decide.score`); then, in this order, a
perception draw per call, a draw whether the partner invokes the commitment (or the
scenario's record of it) and a draw that settles whether the guarantor fights, supplies its
partner's side or stays out (the kernel's ordered outcomes). A war that asks each period asks
again with the same draws while a call's situation holds (:mod:`sim.model.readings`). A
guarantor that fights joins its partner's side (one side of a war at most: :func:`one_side`);
one that supplies becomes a supplier of that side (its power counts, by ``supply_share``, in
later calls); one that breaks a duty to defend a bilateral alliance may end it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.model.callterms import Terms, strongest, terms_of
from sim.model.decide import STAKES, Calls, Situation, diluted, score, stakes
from sim.model.interest import screen
from sim.model.readings import Reading, Readings
from sim.model.standing import Standing
from sim.model.wars import Front, War
from sim.model.world import DUTIES

BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]
NONE, CONSULT, DEFEND = (DUTIES.index(d) for d in ("none", "consult", "defend"))


@dataclass(frozen=True)
class Call:
    """One call: the front (partner and war), the guarantor, and what binds it there.

    ``covered``: a commitment with a duty to fight or consult applies; ``text``: the strongest
    applying text; ``duty``: what the guarantor owes (the strongest applying duty, else the
    strongest binding one); ``invoked``: the scenario's record of invocation, None if drawn;
    ``bound``: a commitment binds the guarantor to the partner (False for a state asked
    only because its stakes reach ``interest_floor``).
    """

    front: Front
    guarantor: int
    covered: bool
    text: float
    duty: int
    invoked: bool | None
    bound: bool = True


class Summons:
    """Who is called to the period's wars, and what each guarantor decides.

    Args:
        model: the model whose guarantors are called.
    """

    def __init__(self, model: Standing) -> None:
        self.model = model
        self._text_of = np.zeros((0, 0))
        self._terms = terms_of(model.world.commitments, 0)
        self._readings = Readings()
        self.screens: list[FloatArray] | None = None
        """Kept only when set to a list (:mod:`sim.results.reweigh` does): each screen's
        candidates' stake values before weighing (candidates, stakes), what another set of
        weights would have asked."""

    def decide(self, wars: list[War]) -> None:
        """Call the guarantors and the interested states to ``wars``; score and settle them."""
        m = self.model
        called = [call for war in wars for front in war.fronts() for call in self._called(front)]
        if not wars:
            return
        situation = m.war_situation = m.situation()
        fronts = [front for war in wars for front in war.fronts()]
        called += [call for front in fronts for call in self._interested(front, situation)]
        if not called:
            return
        calls = self._calls(called)
        fresh = Reading(
            m.rng.normal(0.0, m.params.perception_noise, len(calls)),
            m.rng.random(len(calls)),
            m.rng.random(len(calls)),
        )
        reading = self._readings.recall(*self._identities(called), fresh)
        scores = score(calls, situation, m.params, reading.noise)
        drawn = reading.invoke < m.params.invoke_probability
        fights = one_side(called, reading.decide < scores.p_honour, scores.p_honour)
        supplies = one_supplied_side(called, reading.decide < scores.p_support, fights, scores)
        self._settle_all(called, calls, drawn, (fights, supplies), scores, reading.decide)

    def _identities(self, called: list[Call]) -> tuple[list[Hashable], list[Hashable]]:
        """Return each call's identity across periods and its situation (None if asked once)."""
        again = [c.front.war.every_period for c in called]
        keys = [_key(c) if a else None for c, a in zip(called, again, strict=True)]
        return keys, [self._standing(c) if a else None for c, a in zip(called, again, strict=True)]

    def _standing(self, call: Call) -> Hashable:
        """Return the situation a call is decided in; when it changes, the state reads afresh.

        The call's own terms (bound, covered, duty, text, the record of invocation), who holds
        the theatre, who fights on each side and beside them, and the standing of each of them
        (a defeat, a lost army or sanctions cut it; a war's end beats its losers).
        """
        m, war = self.model, call.front.war
        fighting = sorted(war.camp(0) | war.camp(1) | {*war.backers, *war.defender_backers})
        return (
            (call.bound, call.covered, call.duty, call.text, call.invoked),
            int(m.territory_holder[call.front.theatre]),
            (frozenset(war.camp(0)), frozenset(war.camp(1))),
            (tuple(war.backers), tuple(war.defender_backers)),
            tuple((s, float(m.shock[s]), bool(m.beaten[s] > 0)) for s in fighting),
        )

    def _settle_all(
        self,
        called: list[Call],
        calls: Calls,
        drawn: BoolArray,
        decided: tuple[BoolArray, BoolArray],
        scores: Any,
        draw: FloatArray,
    ) -> None:
        """Apply and record the decisions (who fights, who supplies) and the draw that settled them.

        The scenario's record of invocation overrides a draw.
        """
        fights, supplies = decided
        invoked = np.array(
            [d if c.invoked is None else c.invoked for c, d in zip(called, drawn, strict=True)],
            dtype=bool,
        )
        triggered = calls.covered & invoked
        duty = np.array([c.duty for c in called], dtype=np.int64)
        broken = triggered & (duty == DEFEND) & ~fights
        for call, fought, was_broken in zip(called, fights, broken, strict=True):
            self._settle(call.front, call.guarantor, bool(was_broken), bool(fought))
        for call in (c for c, supplied in zip(called, supplies, strict=True) if supplied):
            _supply(call.front, call.guarantor)
        bound = np.array([c.bound for c in called], dtype=bool)
        self.model.recorder.decisions(
            called, calls, invoked, triggered, (fights, supplies), scores, bound, draw
        )

    def _interested(self, front: Front, situation: Situation) -> list[Call]:
        """Return calls to the states no commitment binds to an attacked partner that have a stake.

        Every living state not in the war, not bound to the partner and not at war with it is
        screened at once, wherever it stands: it is asked when its own stakes (the kernel's
        stake factors: the theatre's value to it, its sites, the partner as a buffer, a rival's
        gain, the danger to a partner near it, the adversary on its border...) add up to
        ``interest_floor`` log-odds or more. Distance and reach are costs, weighed only in
        the decision itself, as for a bound state. Its decision is recorded as not bound.
        """
        m = self.model
        if not front.defensive:
            return []
        _, bound = self._binding(front.partner)
        free = m.alive & ~bound.any(axis=0)
        free[sorted(self._excluded(front))] = False
        candidates = np.flatnonzero(free)
        if not len(candidates):
            return []
        asked = self._front_calls(front, candidates)
        stake_values = stakes(asked, situation, m.params)[:, STAKES]
        if self.screens is not None:
            self.screens.append(stake_values)
        interested = candidates[screen(stake_values, m.params)]
        return [Call(front, int(g), False, 0.0, NONE, None, bound=False) for g in interested]

    def _front_calls(self, front: Front, guarantors: NDArray[np.int64]) -> Calls:
        """Return the kernel's arrays for one front asking each of ``guarantors``, unbound."""
        k, n = len(guarantors), self.model.world.n
        backers = np.zeros((k, n), dtype=bool)
        backers[:, front.adversary_backers] = True
        suppliers = np.zeros((k, n), dtype=bool)
        suppliers[:, front.adversary_suppliers] = True
        return Calls(
            guarantor=np.asarray(guarantors, dtype=np.int64),
            partner=np.full(k, front.partner, dtype=np.int64),
            adversary=np.full(k, front.adversary, dtype=np.int64),
            theatre=np.full(k, front.theatre, dtype=np.int64),
            scale=np.full(k, float(front.war.scale)),
            backers=backers,
            covered=np.zeros(k, dtype=bool),
            text=np.zeros(k),
            suppliers=suppliers,
        )

    def _binding(self, partner: int) -> tuple[BoolArray, BoolArray]:
        """Return the rows in force the partner may invoke, and whom each binds (rows, states)."""
        book = self.model.book
        rows = book.duties(self.model.period) & book.beneficiaries[:, partner]
        return rows, book.guarantors & rows[:, None]

    def _excluded(self, front: Front) -> set[int]:
        """Return the states never asked on a front: the belligerents, backers, partner's foes."""
        war = front.war
        taken = war.camp(0) | war.camp(1) | set(war.backers) | set(war.defender_backers)
        return taken | set(np.flatnonzero(self.model.at_war()[front.partner]).tolist())

    def _called(self, front: Front) -> list[Call]:
        """Return a call for every state with a commitment the partner may invoke.

        The text is the strongest applying commitment's, thinned by the number of its other
        guarantors (:func:`sim.model.decide.diluted`).
        """
        book, war = self.model.book, front.war
        rows, bound = self._binding(front.partner)
        binders = np.flatnonzero(bound.any(axis=0))
        war.allies[front.side].update(int(g) for g in binders if g != front.partner)
        excluded = self._excluded(front)
        applies = rows & book.covers[:, front.theatre] & self._conditions(front)
        covering = bound & applies[:, None] & (book.duty > NONE) & ~self._reserved(front)
        others = (book.guarantors.sum(axis=1) - book.guarantors[:, front.partner]).astype(float)
        texts = diluted(self._texts(), others[:, None], self.model.params)
        text = np.where(covering, texts, 0.0).max(axis=0, initial=0.0)
        covered = covering.any(axis=0)
        duty = strongest(covering, bound, book.duty)
        recorded = war.recorded_invocations
        return [
            Call(
                front,
                int(g),
                bool(covered[g]),
                float(text[g]),
                int(duty[g]),
                self._invoked(front, int(g), bound[:, g]) if recorded else None,
            )
            for g in binders
            if g not in excluded
        ]

    def _conditions(self, front: Front) -> BoolArray:
        """Return which rows' conditions hold on this front (ATOP's codes, by row).

        A chained row (``after``) holds once each guarantor it names already fights on the
        partner's side: a belligerent or backer from the start, or one that joined in an
        earlier period (the decisions of one period are drawn together).
        """
        book, t = self.model.book, self._current_terms()
        allies = book.allied_pairs(self.model.period)[:, front.adversary]
        beside = self._mask(front.war.camp(front.side) | set(front.partner_backers))
        return (
            (front.defensive | t.offensive)
            & (t.against[:, front.adversary] | (t.against_allies_of & allies[None, :]).any(axis=1))
            & ~(t.unprovoked & front.provoked)
            & (t.min_attackers <= front.attackers)
            & (t.min_majors <= int((self._mask(_foes(front)) & self._majors()).sum()))
            & ((t.conflict == "") | (t.conflict == front.war.war_id))
            & ~(t.after & ~beside[None, :]).any(axis=1)
        )

    def _reserved(self, front: Front) -> BoolArray:
        """Return (rows, states), or (1, 1) if none: the duties that do not hold against these foes.

        A reservation (``member_terms.X.not_against``) excuses X when a state it names fights
        the partner (the adversary or beside it); the other members stay bound.
        """
        book, exempt = self.model.book, self.model.world.commitments.exempt
        if not len(exempt):  # most worlds: nothing reserved, and no (rows, states) array to build
            return np.zeros((1, 1), dtype=bool)
        reserved = np.zeros(book.duty.shape, dtype=bool)
        hit = exempt[np.isin(exempt[:, 2], list(_foes(front)))]
        reserved[hit[:, 0], hit[:, 1]] = True
        return reserved

    def _mask(self, states: set[int]) -> BoolArray:
        """Return a mask over all states of ``states``."""
        mask = np.zeros(self.model.world.n, dtype=bool)
        mask[list(states)] = True
        return mask

    def _majors(self) -> BoolArray:
        """Return the major powers, as the world marks them (none where it does not)."""
        major = self.model.world.major
        return np.zeros(self.model.world.n, dtype=bool) if major is None else major

    def _current_terms(self) -> Terms:
        """Return the rows' terms, padded for the rows formed during the run."""
        rows = len(self.model.book.ids)
        if len(self._terms.offensive) != rows:  # rows are only ever added
            self._terms = terms_of(self.model.world.commitments, rows)
        return self._terms

    def _invoked(self, front: Front, guarantor: int, binding: BoolArray) -> bool:
        """Whether the partner has invoked (by the record) a commitment binding the guarantor.

        An invocation counts if it names this guarantor (or none) and this war (or none).
        """
        found, p, war = self.model.invocations, front.partner, front.war.war_id
        rows = np.flatnonzero(binding).tolist()
        asked = ((p, r, who, w) for r in rows for who in (-1, guarantor) for w in ("", war))
        return any(key in found for key in asked)

    def _texts(self) -> NDArray[np.float64]:
        """Return each row's text for each guarantor: its kind's, or a reserved duty's."""
        book = self.model.book
        if self._text_of.shape != book.duty.shape:  # rows are only ever added
            kind = np.array([self._text(k) for k in book.kinds])[:, None]
            consult = self.model.params.text_consultation
            self._text_of = np.select(
                [book.duty == DEFEND, book.duty == CONSULT], [kind, np.full_like(kind, consult)]
            )
        return self._text_of

    def _text(self, kind: str) -> float:
        """Return how strongly a commitment of one kind is worded (its ``text_*`` weight)."""
        p = self.model.params
        return {
            "defence_pact": p.text_defence_pact,
            "offence_pact": p.text_defence_pact,
            "coalition": p.text_defence_pact,
            "guarantee": p.text_defence_pact,
            "declaration": p.text_declaration,
            "basing": p.text_basing,
            "consultation": p.text_consultation,
        }.get(kind, 0.0)

    def _calls(self, called: list[Call]) -> Calls:
        """Return the calls as the kernel's arrays, a row per call."""
        n = self.model.world.n
        backers = np.zeros((len(called), n), dtype=bool)
        suppliers = np.zeros((len(called), n), dtype=bool)
        for k, call in enumerate(called):
            backers[k, call.front.adversary_backers] = True
            suppliers[k, call.front.adversary_suppliers] = True
        fronts = [c.front for c in called]
        return Calls(
            guarantor=np.array([c.guarantor for c in called], dtype=np.int64),
            partner=np.array([f.partner for f in fronts], dtype=np.int64),
            adversary=np.array([f.adversary for f in fronts], dtype=np.int64),
            theatre=np.array([f.theatre for f in fronts], dtype=np.int64),
            scale=np.array([f.war.scale for f in fronts]),
            backers=backers,
            covered=np.array([c.covered for c in called], dtype=bool),
            text=np.array([c.text for c in called]),
            suppliers=suppliers,
        )

    def _settle(self, front: Front, g: int, broken: bool, fights: bool) -> None:
        """Apply one decision: a guarantor that fights joins its partner's side."""
        if fights:
            front.war.sides[front.side].add(g)
        elif broken:  # violated
            self._end_on_violation(g, front.partner)

    def _end_on_violation(self, g: int, partner: int) -> None:
        """A violated bilateral alliance between ``g`` and ``partner`` may end."""
        m, book = self.model, self.model.book
        bilateral = book.members.sum(axis=1) == 2
        rows = book.alliances(m.period) & bilateral & book.guarantors[:, g]
        for row in np.flatnonzero(rows & book.members[:, partner]):
            if m.rng.random() < m.params.end_on_violation:
                book.end(int(row), m.period, "violated", m.demand)


def one_side(called: list[Call], fights: BoolArray, p_honour: NDArray[np.float64]) -> BoolArray:
    """Return the decisions with each state fighting on one side of a war at most.

    A state called by both sides of one war in the same period and drawn to fight for
    both joins the side it is likelier to fight for (the first call on a tie) and stays
    out on the other.
    """
    kept = fights.copy()
    side_of: dict[tuple[str, int], int] = {}  # (war, state) -> the side it joins
    for k in np.argsort(-p_honour, kind="stable"):
        if kept[k]:
            call = called[k]
            key = (call.front.war.war_id, call.guarantor)
            kept[k] = side_of.setdefault(key, call.front.side) == call.front.side
    return kept


def one_supplied_side(
    called: list[Call], supports: BoolArray, fights: BoolArray, scores: Any
) -> BoolArray:
    """Return who supplies: drawn to fight or supply, fighting in the war for no one, one side.

    A state drawn to supply both sides of one war in the same period supplies the side it is
    likelier to support (the first call on a tie).
    """
    fighting = {(c.front.war.war_id, c.guarantor) for c, f in zip(called, fights, strict=True) if f}
    kept = supports.copy()
    side_of: dict[tuple[str, int], int] = {}
    for k in np.argsort(-scores.p_support, kind="stable"):
        if kept[k]:
            call = called[k]
            key = (call.front.war.war_id, call.guarantor)
            free = key not in fighting
            kept[k] = free and side_of.setdefault(key, call.front.side) == call.front.side
    return kept


def _supply(front: Front, g: int) -> None:
    """A state that supplies its partner's side adds to that side's suppliers (once)."""
    suppliers = (front.war.suppliers, front.war.defender_suppliers)[front.side]
    if g not in suppliers:
        suppliers.append(g)


def _key(call: Call) -> Hashable:
    """Return a call's identity across the periods of its war: a new front is a new call."""
    f = call.front
    return (f.war.war_id, call.guarantor, f.partner, f.adversary, f.theatre, f.side)


def _foes(front: Front) -> set[int]:
    """Return the states that fight the partner on a front: its adversary and those beside it."""
    return {front.adversary, *front.adversary_backers}
