"""Forms for regional groups and their annual accounts."""

from django import forms
from django.utils import timezone

from accounts.models import User
from sli_portal.forms import GovukForm

from ..models import AccountableBody, PlanStatus, Priority, financial_year_label
from .people import (
    PeopleChoiceField,
    PersonChoiceField,
    region_people,
    region_people_and_partners,
)


class GroupForm(GovukForm):
    required_messages = {
        "accountable_to": "Choose who the group is accountable to",
    }

    name = forms.CharField(max_length=150)
    remit = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    sponsor = PersonChoiceField(
        queryset=User.objects.none(), required=False, help_text="At assistant-director level."
    )
    accountable_to = forms.ChoiceField(choices=AccountableBody.choices)
    members = PeopleChoiceField(queryset=User.objects.none(), required=False)
    priorities = forms.ModelMultipleChoiceField(
        queryset=Priority.objects.none(), required=False, label="Plan priorities it supports"
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        people = region_people(region.pk)
        self.fields["sponsor"].queryset = people
        self.fields["members"].queryset = region_people_and_partners(region.pk)
        self.fields["priorities"].queryset = (
            Priority.objects.filter(plan__region=region)
            .exclude(plan__status=PlanStatus.ARCHIVED)
            .select_related("plan")
            .order_by("plan__title", "number")
        )
        self.fields["priorities"].label_from_instance = lambda p: f"{p.plan}: {p.number}. {p.title}"


class GroupAccountForm(GovukForm):
    year = forms.TypedChoiceField(coerce=int, choices=(), label="Financial year")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [
            (y, financial_year_label(y)) for y in range(this_year, this_year - 6, -1)
        ]
        self.priorities = list(group.priorities.select_related("plan").order_by("number"))
        for priority in self.priorities:
            self.fields[f"priority_{priority.pk}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                label=f"How the group's work advanced {priority.number}. {priority.title}",
            )

    def narratives(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"priority_{p.pk}", "") for p in self.priorities}
