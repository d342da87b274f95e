"""Triads of an annual cycle: propose them (with the pure engine in `domain/triads.py`), edit,
confirm, and the keep-apart / keep-together rules they must respect."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import LocalAuthority
from sli_portal.access import System, require

from ..domain import triads as triad_engine
from ..models import (
    Challenge,
    ChallengeStatus,
    ConstraintKind,
    Cycle,
    PairingConstraint,
    Triad,
    TriadMember,
)
from ._common import _locked


def _pair_history(cycle: Cycle) -> dict[tuple, list[int]]:
    """Who met whom before this cycle: earlier confirmed triads and challenges in the region."""
    groups_by_year: dict[int, list[list[int]]] = {}
    rows = TriadMember.objects.filter(
        cycle__region_id=cycle.region_id,
        cycle__year__lt=cycle.year,
        cycle__triads_confirmed_at__isnull=False,
    ).values_list("cycle__year", "triad_id", "local_authority_id")
    by_triad: dict[tuple, list[int]] = {}
    for year, triad_id, la_id in rows:
        by_triad.setdefault((year, triad_id), []).append(la_id)
    for (year, _), members in by_triad.items():
        groups_by_year.setdefault(year, []).append(members)
    challenges = Challenge.objects.filter(
        cycle__region_id=cycle.region_id, cycle__year__lt=cycle.year
    ).exclude(status=ChallengeStatus.CANCELLED)
    for year, home_id, challenger_id in challenges.values_list(
        "cycle__year", "home_la_id", "challenging_las"
    ):
        if challenger_id:
            groups_by_year.setdefault(year, []).append([home_id, challenger_id])
    return triad_engine.history_from_groups(groups_by_year)


def _constraints(cycle: Cycle) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    apart: list[tuple[int, int]] = []
    together: list[tuple[int, int]] = []
    for kind, first, second in cycle.pairing_constraints.values_list(
        "kind", "first_id", "second_id"
    ):
        (apart if kind == ConstraintKind.KEEP_APART else together).append((first, second))
    return apart, together


def _explain(
    cycle: Cycle,
    groups: list[list[int]],
    history: dict[tuple, list[int]],
    proposal: triad_engine.Proposal | None = None,
) -> dict[str, Any]:
    names = dict(LocalAuthority.objects.filter(region=cycle.region).values_list("pk", "name"))
    repeats: list[dict[str, Any]] = []
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                years = history.get(triad_engine.pair(a, b))
                if years:
                    repeats.append({"las": sorted([names[a], names[b]]), "years": years})
    explanation = {
        "repeat_count": len(repeats),
        "repeats": sorted(repeats, key=lambda r: r["las"]),
        "group_sizes": sorted(len(g) for g in groups),
        "history_years": sorted({y for years in history.values() for y in years}),
        "edited": proposal is None,
    }
    if proposal is not None:
        explanation["seed"] = proposal.seed
        explanation["zero_repeats_possible"] = proposal.zero_repeats_possible
    return explanation


def _write_groups(cycle: Cycle, groups: list[list[int]]) -> None:
    cycle.triads.all().delete()
    for number, group in enumerate(groups, 1):
        triad = Triad.objects.create(cycle=cycle, number=number)
        TriadMember.objects.bulk_create(
            TriadMember(triad=triad, cycle=cycle, local_authority_id=la_id) for la_id in group
        )


def _participant_ids(cycle: Cycle) -> list[int]:
    return sorted(cycle.self_assessments.values_list("local_authority_id", flat=True))


@transaction.atomic
def triads_propose(
    *, actor: User | System, cycle: Cycle, seed: int | None = None
) -> dict[str, Any]:
    require(actor, "peer_challenge.manage_cycle", cycle)
    cycle = _locked(Cycle, cycle.pk)
    if not cycle.is_annual:
        raise ValidationError("Only annual self-assessment cycles are organised in triads.")
    if cycle.triads_confirmed:
        raise ValidationError("The triads are already confirmed and cannot be regenerated.")
    history = _pair_history(cycle)
    apart, together = _constraints(cycle)
    seed = cycle.triad_seed if seed is None else seed
    try:
        proposal = triad_engine.propose(
            _participant_ids(cycle),
            history=history,
            year=cycle.year,
            seed=seed,
            remainder=cycle.remainder,
            keep_apart=apart,
            keep_together=together,
        )
    except triad_engine.TriadError as error:
        raise ValidationError(str(error)) from error
    _write_groups(cycle, proposal.groups)
    cycle.triad_seed = seed
    cycle.triads_explanation = _explain(cycle, proposal.groups, history, proposal)
    cycle.save(update_fields=["triad_seed", "triads_explanation"])
    return cycle.triads_explanation


@transaction.atomic
def triads_update(
    *, actor: User | System, cycle: Cycle, assignment: dict[int, int]
) -> dict[str, Any]:
    """The programme manager's edit: la_id -> triad number for every participating LA."""
    require(actor, "peer_challenge.manage_cycle", cycle)
    cycle = _locked(Cycle, cycle.pk)
    if cycle.triads_confirmed:
        raise ValidationError("The triads are already confirmed.")
    participants = set(_participant_ids(cycle))
    if set(assignment) != participants:
        raise ValidationError("Put every participating local authority in a triad.")
    groups: dict[int, list[int]] = {}
    for la_id, number in assignment.items():
        groups.setdefault(number, []).append(la_id)
    names = dict(LocalAuthority.objects.filter(pk__in=participants).values_list("pk", "name"))
    for number, members in sorted(groups.items()):
        if len(members) < 2:
            raise ValidationError(
                f"Triad {number} would have only {names[members[0]]}: a group needs at least two."
            )
        if len(members) > 4:
            raise ValidationError(f"Triad {number} would have {len(members)} LAs: at most four.")
    apart, together = _constraints(cycle)
    where = {la: number for number, members in groups.items() for la in members}
    for a, b in apart:
        if where.get(a) == where.get(b):
            raise ValidationError(f"{names[a]} and {names[b]} must be kept apart.")
    for a, b in together:
        if where.get(a) != where.get(b):
            raise ValidationError(f"{names[a]} and {names[b]} must be kept together.")
    ordered = [sorted(members) for _, members in sorted(groups.items())]
    _write_groups(cycle, ordered)
    cycle.triads_explanation = _explain(cycle, ordered, _pair_history(cycle))
    cycle.save(update_fields=["triads_explanation"])
    return cycle.triads_explanation


@transaction.atomic
def triads_confirm(*, actor: User | System, cycle: Cycle) -> Cycle:
    require(actor, "peer_challenge.manage_cycle", cycle)
    cycle = _locked(Cycle, cycle.pk)
    if cycle.triads_confirmed:
        raise ValidationError("The triads are already confirmed.")
    if not cycle.triads.exists():
        raise ValidationError("Generate the triads before confirming them.")
    cycle.triads_confirmed_at = timezone.now()
    cycle.save(update_fields=["triads_confirmed_at"])
    return cycle


@transaction.atomic
def pairing_constraint_add(
    *,
    actor: User | System,
    cycle: Cycle,
    kind: str,
    first: LocalAuthority,
    second: LocalAuthority,
    reason: str = "",
) -> PairingConstraint:
    require(actor, "peer_challenge.manage_cycle", cycle)
    if cycle.triads_confirmed:
        raise ValidationError("The triads are already confirmed.")
    if kind not in ConstraintKind.values:
        raise ValidationError({"kind": "Choose keep apart or keep together."})
    if first.pk == second.pk:
        raise ValidationError({"second": "Choose two different local authorities."})
    if first.region_id != cycle.region_id or second.region_id != cycle.region_id:
        raise ValidationError("Both local authorities must be in the cycle's region.")
    first, second = sorted([first, second], key=lambda la: la.pk)
    existing = PairingConstraint.objects.filter(cycle=cycle, first=first, second=second).first()
    if existing:
        raise ValidationError(
            f"{first} and {second} already have a rule: {existing.get_kind_display().lower()}."
        )
    return PairingConstraint.objects.create(
        cycle=cycle, kind=kind, first=first, second=second, reason=reason.strip()[:200]
    )
