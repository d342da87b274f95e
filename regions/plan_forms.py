from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import LocalAuthority, Membership, Role
from .plan_models import (
    RAG,
    AccountableBody,
    ActionStatus,
    CandidatePriority,
    FundingSource,
    FundingStatus,
    PlanStatus,
    Priority,
    PriorityStatus,
    Theme,
    VoteMethod,
    financial_year_label,
)

User = get_user_model()
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _region_people(region_id):
    return (
        User.objects.filter(memberships__local_authority__region_id=region_id, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class PlanForm(forms.Form):
    title = forms.CharField(max_length=200)
    start_year = forms.IntegerField(
        label="First financial year",
        min_value=2000,
        max_value=2100,
        help_text="The year the first April falls in: 2018 for 2018-19.",
    )
    end_year = forms.IntegerField(
        label="Last financial year",
        min_value=2000,
        max_value=2100,
        help_text="2020 for a plan that ends in March 2021.",
    )
    status = forms.ChoiceField(choices=PlanStatus.choices)
    is_current = forms.BooleanField(
        required=False,
        label="This is the region's current plan",
        help_text="Another current plan stops being current.",
    )
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    principles = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="One principle per line, in the order agreed.",
    )
    launch_date = forms.DateField(required=False, widget=DATE)
    launch_event = forms.CharField(max_length=200, required=False, help_text="e.g. the summit.")

    def clean_principles(self):
        return [
            line.strip() for line in self.cleaned_data["principles"].splitlines() if line.strip()
        ]

    @classmethod
    def initial_for(cls, plan):
        return {
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "status": plan.status,
            "is_current": plan.is_current,
            "summary": plan.summary,
            "principles": "\n".join(plan.principles),
            "launch_date": plan.launch_date,
            "launch_event": plan.launch_event,
        }


class AttachmentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="e.g. Annex A: data.")
    file = forms.FileField(label="File (PDF or Word .docx, up to 10 MB)")


class ThemeForm(forms.Form):
    title = forms.CharField(max_length=200, label="Theme title")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SponsorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.full_name or obj.user.email} ({obj.local_authority.name})"


class PriorityForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none())
    title = forms.CharField(max_length=250)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    sponsor = SponsorChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        label="Sponsoring DCS",
        empty_label="No sponsor yet",
    )
    lead = forms.CharField(max_length=200, required=False, label="Lead officer or group")
    status = forms.ChoiceField(choices=PriorityStatus.choices, initial=PriorityStatus.ACTIVE)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = plan.themes.order_by("position", "pk")
        self.fields["sponsor"].queryset = (
            Membership.objects.filter(role=Role.DCS, local_authority__region_id=plan.region_id)
            .select_related("user", "local_authority")
            .order_by("local_authority__name")
        )

    @staticmethod
    def initial_for(priority: Priority):
        sponsor = None
        if priority.sponsor_id:
            sponsor = Membership.objects.filter(
                user_id=priority.sponsor_id,
                local_authority_id=priority.sponsor_la_id,
                role=Role.DCS,
            ).first()
        return {
            "theme": priority.theme_id,
            "title": priority.title,
            "description": priority.description,
            "sponsor": sponsor,
            "lead": priority.lead,
            "status": priority.status,
        }

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        membership = data.pop("sponsor")
        data["sponsor"] = membership.user if membership else None
        data["sponsor_la"] = membership.local_authority if membership else None
        return data


class ActionForm(forms.Form):
    title = forms.CharField(max_length=250, label="Action")
    owner = PersonChoiceField(queryset=User.objects.none(), required=False)
    due_date = forms.DateField(required=False, widget=DATE, label="Due")
    is_milestone = forms.BooleanField(required=False, label="Milestone")
    status = forms.ChoiceField(choices=ActionStatus.choices, initial=ActionStatus.NOT_STARTED)

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _region_people(region_id)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class ProgressForm(forms.Form):
    date = forms.DateField(widget=DATE, initial=timezone.localdate)
    rag = forms.ChoiceField(choices=RAG.choices, widget=forms.RadioSelect, label="RAG status")
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What has happened")


class FundingForm(forms.Form):
    financial_year = forms.TypedChoiceField(coerce=int, choices=())
    source = forms.ChoiceField(choices=FundingSource.choices)
    local_authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.none(),
        required=False,
        help_text="For an LA subscription only.",
    )
    description = forms.CharField(max_length=200, required=False)
    amount = forms.DecimalField(label="Amount (£)", max_digits=12, decimal_places=2, min_value=0)
    status = forms.ChoiceField(choices=FundingStatus.choices)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [
            (y, financial_year_label(y)) for y in plan.financial_years
        ]
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            region_id=plan.region_id, is_active=True
        ).order_by("name")


class GroupForm(forms.Form):
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
        people = _region_people(region.pk)
        self.fields["sponsor"].queryset = people
        self.fields["members"].queryset = people
        self.fields["priorities"].queryset = (
            Priority.objects.filter(plan__region=region)
            .exclude(plan__status=PlanStatus.ARCHIVED)
            .select_related("plan")
            .order_by("plan__title", "number")
        )
        self.fields["priorities"].label_from_instance = lambda p: f"{p.plan}: {p.number}. {p.title}"


class GroupAccountForm(forms.Form):
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


class VoteForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="e.g. Summit vote on regional priorities.")
    method = forms.ChoiceField(choices=VoteMethod.choices)
    max_choices = forms.IntegerField(min_value=1, max_value=20, initial=2, label="Choices per LA")
    closes_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label="Voting closes",
    )
    candidate_priorities = forms.ModelMultipleChoiceField(
        queryset=CandidatePriority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="From the candidate priorities for the next plan",
    )
    candidates = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label="Other candidate priorities",
        help_text="One per line. Add a description after a vertical bar: Title | description.",
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        listed = CandidatePriority.objects.filter(region=region, adopted_as__isnull=True).order_by(
            "-proposed_at", "-pk"
        )
        field = self.fields["candidate_priorities"]
        field.queryset = listed
        field.label_from_instance = lambda c: f"{c.title} ({c.source_label})"
        if not listed.exists():
            del self.fields["candidate_priorities"]

    def clean_candidates(self):
        rows = []
        for line in self.cleaned_data["candidates"].splitlines():
            if line.strip():
                title, _, description = line.partition("|")
                rows.append((title.strip(), description.strip()))
        return rows


class _OnlyLAField(forms.ModelChoiceField):
    """Chooses among the user's LAs; with only one, it is shown fixed and need not be sent."""

    widget = forms.HiddenInput

    def __init__(self, la, **kwargs):
        super().__init__(queryset=LocalAuthority.objects.filter(pk=la.pk), initial=la.pk, **kwargs)
        self.only = la
        self.required = False
        self.help_text = f"{la.name}"

    def clean(self, value):
        return super().clean(value) or self.only


def _la_field(las, label):
    if len(las) == 1:
        return _OnlyLAField(las[0], label=label)
    return forms.ModelChoiceField(
        queryset=LocalAuthority.objects.filter(pk__in=[la.pk for la in las]), label=label
    )


class BallotForm(forms.Form):
    def __init__(self, *args, vote, las, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.fields["local_authority"] = _la_field(las, "Voting for")
        candidates = [(c.pk, c.title) for c in vote.candidates.all()]
        if vote.method == VoteMethod.RANKED:
            for n in range(1, vote.max_choices + 1):
                self.fields[f"rank_{n}"] = forms.TypedChoiceField(
                    coerce=int,
                    choices=[("", "—"), *candidates],
                    required=n == 1,
                    label=f"Choice {n}",
                )
        else:
            self.fields["choices"] = forms.TypedMultipleChoiceField(
                coerce=int,
                choices=candidates,
                widget=forms.CheckboxSelectMultiple,
                label=f"Choose up to {vote.max_choices}",
            )

    def candidate_ids(self) -> list[int]:
        if self.vote.method == VoteMethod.RANKED:
            return [
                self.cleaned_data[f"rank_{n}"]
                for n in range(1, self.vote.max_choices + 1)
                if self.cleaned_data.get(f"rank_{n}")
            ]
        return list(self.cleaned_data["choices"])


class DelegateForm(forms.Form):
    def __init__(self, *args, las, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"] = _la_field(las, "For")
        self.fields["user"] = PersonChoiceField(
            queryset=User.objects.filter(memberships__local_authority__in=las)
            .distinct()
            .order_by("full_name"),
            label="Who votes for the LA",
        )


class AdoptForm(forms.Form):
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        label="Into theme",
        help_text="The candidate becomes a priority at the end of this theme.",
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = (
            Theme.objects.filter(plan__region=region)
            .exclude(plan__status=PlanStatus.ARCHIVED)
            .select_related("plan")
            .order_by("-plan__is_current", "plan__title", "position")
        )
        self.fields["theme"].label_from_instance = lambda t: f"{t.plan.title}: {t.title}"


class PromoteForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), label="Into theme")

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = (
            Theme.objects.filter(plan__region=region)
            .exclude(plan__status=PlanStatus.ARCHIVED)
            .select_related("plan")
            .order_by("plan__title", "position")
        )
        self.fields["theme"].label_from_instance = lambda t: f"{t.plan}: {t.title}"
