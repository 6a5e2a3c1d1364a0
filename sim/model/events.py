"""The scenario's events, fired in date order: each changes the world the model holds.

A war or crisis begins, a state joins a war, a partner invokes a commitment; a war ends;
a state is defeated, its power shocked, or it acquires nuclear arms; technology, the threat
level, a relation, a goal, a site or a territory changes; a foreign presence reaches the end
of its term (P8); a coalition imposes sanctions. An event fires before the period's
decisions unless it is timed after them. Arrays are replaced, never changed in place, where
a period's figures may share them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model import institutions
from sim.model.standing import Standing
from sim.model.wars import War
from sim.scenario.schema import Event, JoinWarEvent, WarEvent


def fire(model: Standing, event_id: str, event: Event) -> War | None:
    """Apply one event to the model; return the war it begins, if any."""
    m, w, at = model, model.world, model.world.index
    match event.kind:
        case "war" | "crisis":
            return m.warfare.begin(_war(m, event_id, event))
        case "join_war":
            _join(m, event)
        case "invocation":
            row = m.book.ids.index(event.commitment)
            for g in [at(g) for g in event.guarantors] or [-1]:
                m.invocations.add((at(event.partner), row, g, event.war or ""))
        case "end_of_war":
            m.wars[event.war].active = False
            if event.losers:
                m.beat([at(s) for s in event.losers])
        case "defeat":
            _defeat(m, at(event.state))
        case "power":
            m.shock[at(event.state)] *= event.factor
            m.power = w.power[m.period] * m.shock
        case "nuclear":
            m.nuclear = m.nuclear.copy()  # replaced, never changed in place
            m.nuclear[at(event.state)] = True
        case "technology":
            m.technology = min(event.value, 0.95)
        case "threat_level":
            m.threat_level = event.value
        case "goal":
            a, b = at(event.between[0]), at(event.between[1])
            m.goals[a, b] = m.goals[b, a] = at(event.adversary)
        case "relation":
            a, b = at(event.between[0]), at(event.between[1])
            m.relations = m.relations.copy()  # the last period's may be shared
            m.relations[a, b] = m.relations[b, a] = event.value
        case "site_opened" | "site_closed":
            m.site_open[w.site_ids.index(event.site)] = event.kind == "site_opened"
        case "site_value":
            m.site_value[w.site_ids.index(event.site)] = event.value
        case "control":
            m.territory_holder[w.territory_ids.index(event.territory)] = at(event.held_by)
        case "term_end":
            _term_end(m, event_id, w.site_ids.index(event.site))
        case "sanction":
            _sanction(m, event_id, event)
    return None


def _war(m: Standing, event_id: str, event: WarEvent) -> War:
    """Return the war an event begins (or, for a war running at the start, began)."""
    at, place = m.world.index, m.world.territory_ids.index
    fronts = [
        (
            at(f.attacker or event.attacker),
            at(f.defender or event.defender),
            place(f.theatre),
            event.provoked if f.provoked is None else f.provoked,
        )
        for f in event.fronts
    ]
    return War(
        event_id,
        at(event.attacker),
        at(event.defender),
        place(event.theatre),
        event.scale,
        [at(b) for b in event.backers],
        [at(b) for b in event.defender_backers],
        crisis=event.kind == "crisis",
        began=m.period,
        suppliers=[at(s) for s in event.suppliers],
        defender_suppliers=[at(s) for s in event.defender_suppliers],
        fronts_opened=fronts,
        provoked=event.provoked,
        every_period=event.calls == "every_period",
        recorded_invocations=event.invocations == "recorded",
    )


def _join(m: Standing, event: JoinWarEvent) -> None:
    """A state enters a war on one side: it fights there (opening a front) or supplies it."""
    war, state = m.wars[event.war], m.world.index(event.state)
    side = 0 if event.side == "attacker" else 1
    if event.role == "supplying":
        (war.suppliers, war.defender_suppliers)[side].append(state)
        return
    war.sides[side].add(state)
    if event.theatre is not None:
        theatre = m.world.territory_ids.index(event.theatre)
        pair = (state, war.defender) if side == 0 else (war.attacker, state)
        war.fronts_opened.append((*pair, theatre, False))


def _defeat(m: Standing, state: int) -> None:
    """A defeated state keeps a share of its power, leaves its wars and its alliances end.

    It is beaten, too: what is left of its threat falls further for a while (P5).
    """
    m.shock[state] *= m.params.defeat_residual
    m.beat([state])
    m.power = m.world.power[m.period] * m.shock
    m.warfare.lose(state)
    for row in np.flatnonzero(m.book.alliances(m.period) & m.book.members[:, state]):
        m.book.end(int(row), m.period, "defeated", m.demand)


def _term_end(m: Standing, event_id: str, site: int) -> None:
    """At the end of a term, the host renews a foreign presence or not (P8).

    The holder keeps wanting it while the site is useful to it; the host (the territory's
    sovereign) renews with a probability that rises with its relations with the holder.
    """
    p, w = m.params, m.world
    holder = int(w.site_holder[site])
    host = int(w.territory_owner[w.site_territory[site]])
    worth = m.site_value[site] * m.threat_level * (1.0 - m.technology)
    wanted = bool(m.site_open[site] and worth >= p.usefulness_floor)
    renew = 1.0 / (
        1.0 + np.exp(-(p.renewal_baseline + p.w_host_relations * m.relations[host, holder]))
    )
    continued = wanted and (host == holder or bool(m.rng.random() < renew))
    m.recorder.outcome("presence", event_id, host, float(renew if wanted else 0.0), continued)
    m.site_open[site] = continued


def _sanction(m: Standing, event_id: str, event: Any) -> None:
    """A coalition's sanctions cut the target's power; record whether the loss is critical."""
    w, book = m.world, m.book
    imposers = np.zeros(w.n, dtype=bool)
    imposers[[w.index(s) for s in event.imposers]] = True
    if event.institution is not None:
        imposers |= book.members[book.ids.index(event.institution)]
    target = w.index(event.target)
    imposers[target] = False
    loss = institutions.sanction_loss(imposers, target, m.effective_power(), m.power, m.params)
    m.shock[target] *= 1.0 - loss
    m.power = w.power[m.period] * m.shock
    m.recorder.outcome("sanction", event_id, target, loss, loss >= m.params.critical_loss)
