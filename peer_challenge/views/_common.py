"""How every peer challenge view gets its object: `sli_portal.access.fetch` (404 to a user who
may not see it, 403 to one who sees it but may not do this)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from regions.models import Region
from sli_portal import access

from ..models import Challenge, Cycle, SelfAssessment
from ..selectors.challenges import challenges_for_pages
from ..selectors.cycles import cycles_for_pages
from ..selectors.self_assessments import self_assessments_for_pages


def flash_error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def region_for(request: HttpRequest, slug: str, act: str | None = None) -> Region:
    return access.fetch(request.user, Region, see="peer_challenge.view_region", act=act, slug=slug)


def cycle_for(request: HttpRequest, pk: int, act: str | None = None) -> Cycle:
    return access.fetch(
        request.user, cycles_for_pages(), see="peer_challenge.view_cycle", act=act, pk=pk
    )


def self_assessment_for(request: HttpRequest, pk: int, act: str | None = None) -> SelfAssessment:
    return access.fetch(
        request.user,
        self_assessments_for_pages(),
        see="peer_challenge.view_selfassessment",
        act=act,
        pk=pk,
    )


def challenge_for(request: HttpRequest, pk: int, act: str | None = None) -> Challenge:
    return access.fetch(
        request.user, challenges_for_pages(), see="peer_challenge.view_challenge", act=act, pk=pk
    )
