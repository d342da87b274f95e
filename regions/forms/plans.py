"""Forms for plans: the plan, annexes, themes, priorities, actions, progress and funding."""

from django import forms
from django.utils import timezone

from accounts.models import User
from sli_portal.forms import GovukForm
from sli_portal.govuk_fields import GovukDateField

from ..models import (
    RAG,
    ActionStatus,
    FundingSource,
    FundingStatus,
    LocalAuthority,
    Membership,
    PlanStatus,
    Priority,
    PriorityStatus,
    Role,
    Theme,
    financial_year_label,
)
from .people import PersonChoiceField, region_people

_DATE_HINT = "For example, 27 3 2027."


class PlanForm(GovukForm):
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
    launch_date = GovukDateField(
        required=False,
        label="Launch date (optional)",
        error_name="The launch date",
        help_text=_DATE_HINT,
    )
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


class AttachmentForm(GovukForm):
    title = forms.CharField(max_length=200, required=False, help_text="e.g. Annex A: data.")
    file = forms.FileField(label="File (PDF or Word .docx, up to 10 MB)")


class ThemeForm(GovukForm):
    title = forms.CharField(max_length=200, label="Theme title")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SponsorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.full_name or obj.user.email} ({obj.local_authority.name})"


class PriorityForm(GovukForm):
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


class ActionForm(GovukForm):
    title = forms.CharField(max_length=250, label="Action")
    owner = PersonChoiceField(queryset=User.objects.none(), required=False)
    due_date = GovukDateField(
        required=False, label="Due (optional)", error_name="The due date", help_text=_DATE_HINT
    )
    is_milestone = forms.BooleanField(required=False, label="Milestone")
    status = forms.ChoiceField(choices=ActionStatus.choices, initial=ActionStatus.NOT_STARTED)

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = region_people(region_id)


class ActionStatusForm(GovukForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class ProgressForm(GovukForm):
    date = GovukDateField(
        label="Date of the update", initial=timezone.localdate, help_text=_DATE_HINT
    )
    rag = forms.ChoiceField(choices=RAG.choices, widget=forms.RadioSelect, label="RAG status")
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What has happened")


class FundingForm(GovukForm):
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
