import django_filters
from django.db.models import Q
from django.utils import timezone

from regions.models import Region
from regions.scope import user_scope
from sli_portal.access import is_admin

from .models import EventKind


class EventFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.none(), empty_label="All my regions"
    )
    kind = django_filters.ChoiceFilter(
        choices=EventKind.choices, label="Kind of event", empty_label="All kinds"
    )
    when = django_filters.ChoiceFilter(
        label="When",
        choices=[("upcoming", "Upcoming"), ("past", "Past")],
        empty_label="Upcoming and past",
        method="filter_when",
    )

    sort = django_filters.OrderingFilter(
        label="Sort by",
        empty_label="Date (soonest first)",
        fields=(("starts_at", "date"), ("title", "title"), ("registered", "registered")),
        field_labels={
            "date": "Date (soonest first)",
            "-date": "Date (latest first)",
            "title": "Title (A to Z)",
            "-title": "Title (Z to A)",
            "registered": "Registered (fewest first)",
            "-registered": "Registered (most first)",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = user_scope(user)
        regions = Region.objects.order_by("name")
        if not is_admin(user):
            regions = regions.filter(pk__in=scope.region_ids)
        self.filters["region"].queryset = regions
        self.form.fields["region"].queryset = regions

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gt=now).order_by("starts_at", "pk")
        if value == "past":
            return queryset.filter(Q(ends_at__lte=now)).order_by("-starts_at", "-pk")
        return queryset
