"""Forms for priority votes: opening one, a ballot, naming a delegate, promoting a winner."""

from django import forms

from accounts.models import User
from sli_portal.forms import GovukForm
from sli_portal.govuk_fields import GovukDateTimeField

from ..models import CandidatePriority, LocalAuthority, PlanStatus, Theme, VoteMethod
from .people import PersonChoiceField


class VoteForm(GovukForm):
    required_messages = {
        "max_choices": "Enter the number of choices per LA",
    }

    title = forms.CharField(max_length=200, help_text="e.g. Summit vote on regional priorities.")
    method = forms.ChoiceField(choices=VoteMethod.choices)
    max_choices = forms.IntegerField(min_value=1, max_value=20, initial=2, label="Choices per LA")
    closes_at = GovukDateTimeField(
        label="Voting closes",
        error_name="The date voting closes",
        help_text="For example, 27 3 2027 and 17:00. UK time, on the 24-hour clock.",
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


class BallotForm(GovukForm):
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


class DelegateForm(GovukForm):
    def __init__(self, *args, las, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"] = _la_field(las, "For")
        self.fields["user"] = PersonChoiceField(
            queryset=User.objects.filter(memberships__local_authority__in=las)
            .distinct()
            .order_by("full_name"),
            label="Who votes for the LA",
        )


class PromoteForm(GovukForm):
    required_messages = {
        "theme": "Choose the theme to put it in",
    }

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
