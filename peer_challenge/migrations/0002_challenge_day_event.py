"""The challenge day becomes the region's `challenge_day` event: each cycle with a challenge day
gets a published event on that date (09:30 to 16:30 London time, at its venue, with the default
places for each active LA, as the events service creates one); the date and venue columns go."""

import datetime
import zoneinfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

STARTS = datetime.time(9, 30)
ENDS = datetime.time(16, 30)
PLACES_PER_LA = 4


def cycles_to_events(apps, schema_editor):
    Cycle = apps.get_model("peer_challenge", "Cycle")
    Event = apps.get_model("events", "Event")
    Allocation = apps.get_model("events", "Allocation")
    LocalAuthority = apps.get_model("regions", "LocalAuthority")
    london = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    for cycle in Cycle.objects.filter(challenge_day__isnull=False).select_related("region"):
        starts_at = datetime.datetime.combine(cycle.challenge_day, STARTS, tzinfo=london)
        # A closed cycle's day still ahead would have been called off.
        called_off = cycle.status == "closed" and starts_at > now
        event = Event.objects.create(
            region_id=cycle.region_id,
            kind="challenge_day",
            title=f"{cycle.title}: challenge day",
            focus=f"Peer challenge in {cycle.region.name}",
            venue=cycle.challenge_venue,
            starts_at=starts_at,
            ends_at=datetime.datetime.combine(cycle.challenge_day, ENDS, tzinfo=london),
            status="cancelled" if called_off else "published",
            places_per_la=PLACES_PER_LA,
            created_by_id=cycle.created_by_id,
        )
        Allocation.objects.bulk_create(
            Allocation(event=event, local_authority=la, places=PLACES_PER_LA)
            for la in LocalAuthority.objects.filter(region_id=cycle.region_id, is_active=True)
        )
        cycle.challenge_event = event
        cycle.save(update_fields=["challenge_event"])


def events_to_cycles(apps, schema_editor):
    Cycle = apps.get_model("peer_challenge", "Cycle")
    london = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    for cycle in Cycle.objects.filter(challenge_event__isnull=False).select_related(
        "challenge_event"
    ):
        cycle.challenge_day = cycle.challenge_event.starts_at.astimezone(london).date()
        cycle.challenge_venue = cycle.challenge_event.venue
        cycle.save(update_fields=["challenge_day", "challenge_venue"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("regions", "0001_initial"),
        ("peer_challenge", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="cycle",
            name="challenge_event",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="peer_cycle",
                to="events.event",
                verbose_name="challenge-day event",
            ),
        ),
        migrations.RunPython(cycles_to_events, events_to_cycles),
        migrations.RemoveField(model_name="cycle", name="challenge_day"),
        migrations.RemoveField(model_name="cycle", name="challenge_venue"),
    ]
