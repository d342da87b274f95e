"""Feedback after an event: the delegate behind a feedback link, and the results."""

from dataclasses import dataclass

from ..models.delegates import Delegate, DelegateStatus
from ..models.events import Event
from ..models.feedback import FeedbackResponse, delegate_pk_from_feedback_token


def delegate_from_feedback_token(token: str) -> Delegate | None:
    """The delegate a feedback link was sent to, while they still hold the place."""
    pk = delegate_pk_from_feedback_token(token)
    if pk is None:
        return None
    return (
        Delegate.objects.select_related("event", "local_authority")
        .filter(pk=pk, status=DelegateStatus.REGISTERED)
        .first()
    )


@dataclass
class FeedbackSummary:
    count: int
    average: float | None
    distribution: list[tuple[int, int]]
    responses: list


def feedback_summary(*, event: Event) -> FeedbackSummary:
    responses = list(
        FeedbackResponse.objects.filter(event=event)
        .select_related("delegate__local_authority")
        .order_by("submitted_at", "pk")
    )
    counts = dict.fromkeys(range(5, 0, -1), 0)
    for response in responses:
        counts[response.rating] += 1
    average = sum(r.rating for r in responses) / len(responses) if responses else None
    return FeedbackSummary(
        count=len(responses),
        average=average,
        distribution=list(counts.items()),
        responses=responses,
    )
