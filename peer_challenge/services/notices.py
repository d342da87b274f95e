"""The emails peer challenge owes: recorded in the outbox (sent once, after commit)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import Membership, Role
from sli_portal import outbox
from sli_portal.access import System, require

from ..models import CycleStatus, Notice, NoticeOccasion, SelfAssessment, SelfAssessmentStatus

REMINDER_WINDOW = datetime.timedelta(days=14)


def _notify(occasion: str, sa: SelfAssessment, recipients: Iterable[User]) -> int:
    """Owe each recipient (once) the email for this occasion. Returns how many are new."""
    created = 0
    for user in {u.pk: u for u in recipients}.values():
        _, new = outbox.send_once(Notice, occasion=occasion, self_assessment=sa, recipient=user)
        created += new
    return created


def _owe_due_reminders(
    *, cycle_ids: list[int] | None = None, today: datetime.date | None = None
) -> int:
    """Owe a 'self-assessment due' email to the DCS of every draft due within 14 days."""
    today = today or timezone.localdate()
    assessments = SelfAssessment.objects.filter(
        status=SelfAssessmentStatus.DRAFT,
        cycle__status=CycleStatus.OPEN,
        cycle__self_assessment_due__gte=today,
        cycle__self_assessment_due__lte=today + REMINDER_WINDOW,
    )
    if cycle_ids is not None:
        assessments = assessments.filter(cycle_id__in=cycle_ids)
    rows = list(assessments)
    dcs_by_la: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        role=Role.DCS, local_authority_id__in={sa.local_authority_id for sa in rows}
    ).select_related("user"):
        if membership.local_authority_id is not None:
            dcs_by_la.setdefault(membership.local_authority_id, []).append(membership.user)
    return sum(
        _notify(NoticeOccasion.SELF_ASSESSMENT_DUE, sa, dcs_by_la.get(sa.local_authority_id, []))
        for sa in rows
    )


@transaction.atomic
def due_reminders_queue(*, actor: User | System, today: datetime.date | None = None) -> int:
    """Daily job: owe a 'self-assessment due' email to each DCS whose draft is due within 14
    days (once each). Returns how many emails are newly owed."""
    require(actor, "peer_challenge.run_jobs")
    return _owe_due_reminders(today=today)
