"""Who must act when something happens to events: receivers of `events.signals` that record
notifications (once per person and occasion; `notifications.services.notify`), connected in
EventsConfig.ready(). Each names its rule for recipients."""

from django.utils import timezone
from django.utils.dateformat import format as date_format

from notifications.services import notify
from regions.models import Membership, Role


def place_released_notify(sender, *, event, actor, places, **kwargs) -> None:
    """Rule: the DCS of every LA in the event's region (they register their LA's delegates and
    may ask the pool for a place). Once per event: the pool is released once."""
    dcs = Membership.objects.filter(
        role=Role.DCS, local_authority__region_id=event.region_id
    ).values_list("user_id", flat=True)
    when = date_format(timezone.localtime(event.starts_at), "j F Y")
    notify(
        actor=actor,
        recipients=list(dcs),
        kind="place_released",
        occasion=f"event:{event.pk}:pool",
        text=(
            f"{places} place{'s' if places != 1 else ''} released to the regional pool for "
            f"{event.title} ({when}): ask for one if your LA needs more."
        ),
        url=event.get_absolute_url(),
        target=event,
    )


def clash_marked_notify(sender, *, external_date, actor, events, **kwargs) -> None:
    """Rule: the programme managers of each clashing event's region (they move or cancel it;
    not the one who marked the date). Once per date to avoid and event."""
    day = date_format(external_date.date, "j F Y")
    for event in events:
        managers = Membership.objects.filter(
            role=Role.PROGRAMME_MANAGER, region_id=event.region_id
        ).values_list("user_id", flat=True)
        notify(
            actor=actor,
            recipients=list(managers),
            kind="clash_marked",
            occasion=f"external_date:{external_date.pk}:event:{event.pk}",
            text=(
                f"{event.title} clashes with “{external_date.title}” on {day}, now marked as a "
                "date to avoid: consider moving it."
            ),
            url=event.get_absolute_url(),
            target=event,
        )


def connect() -> None:
    from . import signals

    signals.place_released.connect(place_released_notify)
    signals.clash_marked.connect(clash_marked_notify)
