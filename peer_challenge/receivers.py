"""Who must act in peer challenge: receivers of `peer_challenge.signals` that record
notifications (`notifications.services.notify`), connected in PeerChallengeConfig.ready()."""

from notifications.services import notify
from regions.models import Membership, Role


def self_assessment_moderated_notify(sender, *, self_assessment, assignment, actor, **kwargs):
    """Rule: the LA's DCS and performance leads (they respond to the comments), once per
    moderator's release. In the inbox only: peer challenge's own notice emails them already."""
    sa = self_assessment
    people = Membership.objects.filter(
        local_authority_id=sa.local_authority_id, role__in=(Role.DCS, Role.PERFORMANCE_LEAD)
    ).values_list("user_id", flat=True)
    notify(
        actor=actor,
        recipients=list(people),
        kind="self_assessment_moderated",
        occasion=f"self_assessment:{sa.pk}:moderation:{assignment.pk}",
        text=f"Moderator's comments ready on the {sa}: read and respond to them.",
        url=sa.get_absolute_url(),
        target=sa,
        email=False,
    )


def connect() -> None:
    from . import signals

    signals.self_assessment_moderated.connect(self_assessment_moderated_notify)
