"""Triad generation: pure code (no Django, no ORM) so it can be tested and measured on its own.

Problem: split the participating LAs into groups of three (with two groups of four, or groups
of two, when the count is not a multiple of three), so that as few pairs as possible meet again
who met in a previous cycle, while keeping apart the pairs that must be kept apart and keeping
together the pairs that must be kept together.

Method, deterministic for a given seed:
1. An exact backtracking search for an arrangement with no repeated pairing at all (always
   branching on the LA with the fewest allowed partners left). If the search finishes without
   finding one, zero repeats is *proved* impossible for this year's history and constraints.
2. Otherwise, a seeded local search (restarts + best-improvement swaps) minimises the cost: each
   repeated pair costs 1000 per earlier meeting plus up to 9 for how recent the last meeting was,
   so the count of repeats comes first and, among equal counts, older repeats are preferred.
Hard constraints (keep apart / keep together) are never traded for fewer repeats.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

LARGER = "larger"  # 3s, with one or two groups of four
SMALLER = "smaller"  # 3s, with one or two groups of two
REMAINDER_POLICIES = (LARGER, SMALLER)

REPEAT_COST = 1000
HARD_COST = 10**7
EXACT_SEARCH_BUDGET = 200_000  # nodes; plenty for 33 LAs, a guard against pathological input


class TriadError(ValueError):
    """The request cannot be met (too few LAs, contradictory constraints, ...)."""


def group_sizes(count: int, remainder: str = LARGER) -> list[int]:
    """Sizes of the groups for `count` LAs: 3s, plus 4s or 2s to absorb the remainder."""
    if remainder not in REMAINDER_POLICIES:
        raise TriadError(f"Unknown remainder policy {remainder!r}.")
    if count < 2:
        raise TriadError("At least two local authorities are needed to form a group.")
    rest = count % 3
    if rest == 0:
        return [3] * (count // 3)
    if remainder == LARGER and count >= 3 * rest + rest:  # 4 -> [4]; 8 -> [4, 4]
        return [3] * ((count - 4 * rest) // 3) + [4] * rest
    # SMALLER (or too few LAs for 4s): 1 left over -> two 2s; 2 left over -> one 2.
    if rest == 1:
        if count < 4:
            raise TriadError("Cannot split this many local authorities into groups.")
        return [3] * ((count - 4) // 3) + [2, 2]
    return [3] * ((count - 2) // 3) + [2]


def pair(a, b) -> tuple:
    return (a, b) if a <= b else (b, a)


@dataclass
class Proposal:
    groups: list[list]
    repeats: list[tuple[tuple, list[int]]]  # (pair, years they met before)
    cost: int
    zero_repeats_possible: bool | None  # True/False when proved; None when search gave up
    search_nodes: int
    seed: int

    @property
    def repeat_count(self) -> int:
        return len(self.repeats)


@dataclass
class _Problem:
    members: list
    sizes: list[int]
    history: dict[tuple, list[int]]
    year: int
    apart: set[tuple] = field(default_factory=set)
    together: set[tuple] = field(default_factory=set)

    def pair_cost(self, a, b) -> int:
        key = pair(a, b)
        cost = 0
        if key in self.apart:
            cost += HARD_COST
        years = self.history.get(key)
        if years:
            recency = max(0, 9 - (self.year - max(years)) + 1)
            cost += REPEAT_COST * len(years) + min(recency, 9)
        return cost

    def group_cost(self, group: Iterable) -> int:
        group = list(group)
        cost = sum(self.pair_cost(a, b) for a, b in itertools.combinations(group, 2))
        inside = set(group)
        for a in group:
            for b in self.together_of.get(a, ()):
                if b not in inside:
                    cost += HARD_COST // 2  # counted from both ends
        return cost

    def __post_init__(self):
        self.together_of: dict = {}
        for a, b in self.together:
            self.together_of.setdefault(a, set()).add(b)
            self.together_of.setdefault(b, set()).add(a)


def _check_constraints(problem: _Problem) -> None:
    members = set(problem.members)
    for a, b in problem.apart | problem.together:
        if a not in members or b not in members:
            raise TriadError("A constraint names a local authority that is not taking part.")
    # Keep-together pairs form clusters; each must fit in the largest group and not be split
    # by a keep-apart pair inside it.
    parent = {m: m for m in problem.members}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in problem.together:
        parent[find(a)] = find(b)
    clusters: dict = {}
    for m in problem.members:
        clusters.setdefault(find(m), []).append(m)
    largest = max(problem.sizes)
    for cluster in clusters.values():
        if len(cluster) > largest:
            raise TriadError(
                f"{len(cluster)} local authorities must be kept together, but groups have at "
                f"most {largest}."
            )
        for a, b in itertools.combinations(cluster, 2):
            if pair(a, b) in problem.apart:
                raise TriadError(
                    "The same local authorities are to be kept both apart and together."
                )


def _exact_zero_search(problem: _Problem, rng: random.Random, budget: int):
    """Backtracking search for an arrangement of zero cost. Returns (groups|None, nodes, done)."""
    allowed: dict = {m: set() for m in problem.members}
    for a, b in itertools.combinations(problem.members, 2):
        if problem.pair_cost(a, b) == 0:
            allowed[a].add(b)
            allowed[b].add(a)
    order = {m: i for i, m in enumerate(problem.members)}
    tiebreak = {m: rng.random() for m in problem.members}
    nodes = 0
    exhausted = False

    def closed_ok(group) -> bool:
        inside = set(group)
        return all(problem.together_of.get(m, set()) <= inside for m in group)

    def recurse(unassigned: set, sizes: list[int]):
        nonlocal nodes, exhausted
        if not unassigned:
            return []
        nodes += 1
        if nodes > budget:
            exhausted = True
            return None
        # Most constrained first: the LA with the fewest allowed partners still unassigned.
        a = min(unassigned, key=lambda m: (len(allowed[m] & unassigned), tiebreak[m], order[m]))
        candidates = sorted(allowed[a] & unassigned, key=lambda m: (tiebreak[m], order[m]))
        for size in sorted(set(sizes), key=lambda s: (-sizes.count(s), s)):
            for combo in _cliques(candidates, size - 1, allowed):
                group = [a, *combo]
                if not closed_ok(group):
                    continue
                rest_sizes = list(sizes)
                rest_sizes.remove(size)
                found = recurse(unassigned - set(group), rest_sizes)
                if found is not None:
                    return [group, *found]
                if exhausted:
                    return None
        return None

    groups = recurse(set(problem.members), list(problem.sizes))
    return groups, nodes, not exhausted


def _cliques(candidates: list, k: int, allowed: dict):
    """k-subsets of candidates whose members are all allowed with each other (in order)."""
    if k == 0:
        yield ()
        return
    for i, first in enumerate(candidates):
        rest = [c for c in candidates[i + 1 :] if c in allowed[first]]
        for tail in _cliques(rest, k - 1, allowed):
            yield (first, *tail)


def _local_search(problem: _Problem, rng: random.Random, restarts: int = 12) -> list[list]:
    best_groups, best_cost = None, None
    for _ in range(restarts):
        members = list(problem.members)
        rng.shuffle(members)
        groups, start = [], 0
        sizes = list(problem.sizes)
        rng.shuffle(sizes)
        for size in sizes:
            groups.append(members[start : start + size])
            start += size
        costs = [problem.group_cost(g) for g in groups]
        improved = True
        while improved:
            improved = False
            best_move = None
            for gi, gj in itertools.combinations(range(len(groups)), 2):
                for ai, a in enumerate(groups[gi]):
                    for bi, b in enumerate(groups[gj]):
                        new_i = [*groups[gi][:ai], b, *groups[gi][ai + 1 :]]
                        new_j = [*groups[gj][:bi], a, *groups[gj][bi + 1 :]]
                        delta = (
                            problem.group_cost(new_i)
                            + problem.group_cost(new_j)
                            - costs[gi]
                            - costs[gj]
                        )
                        if delta < 0 and (best_move is None or delta < best_move[0]):
                            best_move = (delta, gi, gj, new_i, new_j)
            if best_move is not None:
                _, gi, gj, new_i, new_j = best_move
                groups[gi], groups[gj] = new_i, new_j
                costs[gi], costs[gj] = problem.group_cost(new_i), problem.group_cost(new_j)
                improved = True
        total = sum(costs)
        if best_cost is None or total < best_cost:
            best_groups, best_cost = [list(g) for g in groups], total
        if best_cost == 0:
            break
    return best_groups


def propose(
    members: Iterable[Hashable],
    *,
    history: dict[tuple, list[int]] | None = None,
    year: int,
    seed: int = 0,
    remainder: str = LARGER,
    keep_apart: Iterable[tuple] = (),
    keep_together: Iterable[tuple] = (),
    budget: int = EXACT_SEARCH_BUDGET,
) -> Proposal:
    """Groups for this year. `history` maps a sorted pair to the years the two met before."""
    members = sorted(set(members))
    problem = _Problem(
        members=members,
        sizes=group_sizes(len(members), remainder),
        history={pair(*k): sorted(v) for k, v in (history or {}).items() if v},
        year=year,
        apart={pair(a, b) for a, b in keep_apart},
        together={pair(a, b) for a, b in keep_together},
    )
    _check_constraints(problem)
    rng = random.Random(seed)
    groups, nodes, done = _exact_zero_search(problem, rng, budget)
    if groups is not None:
        possible = True
    else:
        possible = False if done else None
        groups = _local_search(problem, rng)
    cost = sum(problem.group_cost(g) for g in groups)
    if cost >= HARD_COST // 2:
        raise TriadError("No arrangement keeps every keep-apart and keep-together constraint.")
    groups = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g))
    repeats = [
        (pair(a, b), problem.history[pair(a, b)])
        for g in groups
        for a, b in itertools.combinations(g, 2)
        if pair(a, b) in problem.history
    ]
    return Proposal(
        groups=groups,
        repeats=repeats,
        cost=cost,
        zero_repeats_possible=possible,
        search_nodes=nodes,
        seed=seed,
    )


def history_from_groups(groups_by_year: dict[int, list[list]]) -> dict[tuple, list[int]]:
    """Pairs that met, and when, from earlier years' groups."""
    history: dict[tuple, list[int]] = {}
    for year, groups in sorted(groups_by_year.items()):
        for group in groups:
            for a, b in itertools.combinations(sorted(group), 2):
                history.setdefault(pair(a, b), []).append(year)
    return history


def repeat_lower_bound(count: int, years_so_far: int, remainder: str = LARGER) -> int:
    """A lower bound on this year's repeated pairs after `years_so_far` repeat-free years.

    Each LA has count - 1 possible partners; after y repeat-free years in groups of three it
    has used at least 2y of them (more if it sat in a group of four). An LA that needs more new
    partners this year than it has left must repeat; each repeated pair covers two such LAs.
    Only the 2-per-year floor is counted, so the bound is safe whatever the earlier groups.
    """
    sizes = group_sizes(count, remainder)
    smallest_need = min(sizes) - 1
    left = (count - 1) - 2 * years_so_far
    short = max(0, smallest_need - left)
    # Every LA is short by at least `short` partners: count * short endpoints to cover.
    return (count * short + 1) // 2
