from datetime import timedelta

import factory
from django.utils import timezone

from events.models import Delegate, Event, EventKind, EventStatus, Session
from tests.regions.factories import LocalAuthorityFactory, RegionFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    region = factory.SubFactory(RegionFactory)
    kind = EventKind.SUMMIT
    title = factory.Sequence(lambda n: f"Regional summit {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=30)).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=6))
    status = EventStatus.PUBLISHED
    places_per_la = 4


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at + timedelta(hours=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    is_workshop = True
    capacity = 20


class DelegateFactory(factory.django.DjangoModelFactory):
    """Straight into the table, past the services' checks: for building large data sets."""

    class Meta:
        model = Delegate

    event = factory.SubFactory(EventFactory)
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"delegate{n}@example.org")
    job_title = "Assistant director"
