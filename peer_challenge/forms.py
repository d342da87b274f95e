from django import forms
from django.utils import timezone

from events.models import Event
from regions.models import LocalAuthority, Position
from sli_portal.forms import GovukForm
from sli_portal.govuk_fields import GovukDateField

from .models import ChallengeStatus, ConstraintKind, CycleKind, FindingKind, Remainder

_HINT = "For example, 27 3 2027."


def _date(label: str, error_name: str, help_text: str = "", required: bool = False):
    """A GOV.UK date input (day, month, year): see sli_portal/govuk_fields.py."""
    if not required:
        label = f"{label} (optional)"
    return GovukDateField(
        required=required,
        label=label,
        error_name=error_name,
        help_text=f"{help_text} {_HINT}".strip(),
    )


class CycleForm(GovukForm):
    required_messages = {
        "remainder": "Choose what happens when the LAs do not split into threes",
    }

    kind = forms.ChoiceField(choices=CycleKind.choices, label="Kind of cycle")
    year = forms.IntegerField(min_value=2000, max_value=2100)
    title = forms.CharField(max_length=200)
    theme = forms.CharField(
        max_length=200, required=False, help_text="For thematic challenges, e.g. Neglect."
    )
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label="Framework sections",
        help_text="One section or key line of enquiry per line, in order. Leave empty for the "
        "standard annual self-assessment framework.",
    )
    self_assessment_due = _date("Self-assessments due", "The self-assessment due date")
    moderation_due = _date("Moderation due", "The moderation due date")
    challenge_day = _date(
        "Challenge day",
        "The challenge day",
        "Creates the region's peer-challenge day event, so LAs can register delegates.",
    )
    challenge_venue = forms.CharField(max_length=200, required=False, label="Challenge day venue")
    challenge_event = forms.ModelChoiceField(
        queryset=Event.objects.none(),
        required=False,
        label="Or use a challenge day already in the events list",
        empty_label="No: create it from the date above",
    )
    findings_due = _date("Findings due", "The findings due date")
    remainder = forms.ChoiceField(
        choices=Remainder.choices, label="When the LAs do not split into threes"
    )
    moderators_avoid_triad_partners = forms.BooleanField(
        required=False, initial=True, label="Moderators must not come from the LA's own triad"
    )

    def __init__(self, *args, linkable_events=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        if linkable_events is None:
            del self.fields["challenge_event"]
        else:
            self.fields["challenge_event"].queryset = linkable_events
            self.fields["challenge_event"].label_from_instance = lambda event: (
                f"{event.title} ({timezone.localtime(event.starts_at):%d %B %Y})"
            )

    def clean_questions(self):
        return [
            line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()
        ]


class CycleTimetableForm(GovukForm):
    title = forms.CharField(max_length=200)
    self_assessment_due = _date("Self-assessments due", "The self-assessment due date")
    moderation_due = _date("Moderation due", "The moderation due date")
    challenge_day = _date(
        "Challenge day",
        "The challenge day",
        "Moving it moves the event and tells its delegates; clearing it cancels it.",
    )
    challenge_venue = forms.CharField(max_length=200, required=False, label="Challenge day venue")
    findings_due = _date("Findings due", "The findings due date")

    @classmethod
    def for_cycle(cls, cycle, data=None):
        fields = ("title", "self_assessment_due", "moderation_due", "findings_due")
        initial = {name: getattr(cycle, name) for name in fields}
        event = cycle.challenge_event
        if event is not None and not event.is_cancelled:
            initial["challenge_day"] = cycle.challenge_day
            initial["challenge_venue"] = cycle.challenge_venue
        return cls(data, initial=initial)


class ConstraintForm(GovukForm):
    kind = forms.ChoiceField(choices=ConstraintKind.choices, label="Rule")
    first = forms.ModelChoiceField(queryset=LocalAuthority.objects.none(), label="First LA")
    second = forms.ModelChoiceField(queryset=LocalAuthority.objects.none(), label="Second LA")
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        las = LocalAuthority.objects.filter(region=region, is_active=True).order_by("name")
        self.fields["first"].queryset = las
        self.fields["second"].queryset = las


class TriadEditForm(GovukForm):
    """One select per LA: which triad it sits in."""

    def __init__(self, *args, triads, **kwargs):
        super().__init__(*args, **kwargs)
        count = len(triads)
        choices = [(n, f"Triad {n}") for n in range(1, count + 2)]
        self.la_fields = []
        for triad in triads:
            for member in triad.members.all():
                name = f"la_{member.local_authority_id}"
                self.fields[name] = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    initial=triad.number,
                    label=member.local_authority.name,
                )
                self.la_fields.append(name)

    def assignment(self) -> dict[int, int]:
        return {int(name[3:]): self.cleaned_data[name] for name in self.la_fields}


class SectionForm(GovukForm):
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    strengths = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    areas_for_development = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Areas for development"
    )
    evidence_links = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Evidence links",
        help_text="One web address per line (https://...).",
    )


class EvidenceForm(GovukForm):
    required_messages = {
        "file": "Choose a file of evidence to upload",
    }

    file = forms.FileField(label="Attach evidence")


class SignOffForm(GovukForm):
    chief_executive = forms.ModelChoiceField(
        queryset=None, required=False, label="Chief executive (portal user)"
    )
    chief_executive_name = forms.CharField(
        max_length=150, required=False, label="Chief executive's name"
    )
    chief_executive_approved_on = _date(
        "Chief executive approved on",
        "The date the chief executive approved",
        required=True,
    )
    lead_member = forms.ModelChoiceField(
        queryset=None, required=False, label="Lead member (portal user)"
    )
    lead_member_name = forms.CharField(max_length=150, required=False, label="Lead member's name")
    lead_member_approved_on = _date(
        "Lead member approved on", "The date the lead member approved", required=True
    )

    def __init__(self, *args, la, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        for name, position in (
            ("chief_executive", Position.CHIEF_EXECUTIVE),
            ("lead_member", Position.LEAD_MEMBER),
        ):
            queryset = (
                get_user_model()
                .objects.filter(memberships__local_authority=la, memberships__position=position)
                .distinct()
                .order_by("full_name")
            )
            if queryset.exists():
                self.fields[name].queryset = queryset
                self.fields[name].label_from_instance = lambda u: u.full_name
                self.fields[f"{name}_name"].help_text = "Only if the person is not listed above."
            else:
                del self.fields[name]
                self.fields[f"{name}_name"].required = True


class ModeratorForm(GovukForm):
    membership = forms.ModelChoiceField(queryset=None, label="Moderator")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = candidates
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user.full_name}, {m.get_role_display()}, {m.local_authority.name}"
        )


class CommentForm(GovukForm):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Your comment")


class ResponseForm(GovukForm):
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Your response")


class FindingForm(GovukForm):
    required_messages = {
        "kind": "Choose the kind of finding",
    }

    kind = forms.ChoiceField(choices=FindingKind.choices)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Finding")
    triad = forms.ModelChoiceField(queryset=None, required=False)
    local_authority = forms.ModelChoiceField(queryset=None, required=False, label="Local authority")

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["triad"].queryset = cycle.triads.order_by("number")
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            region=cycle.region_id, is_active=True
        ).order_by("name")


class ChallengeForm(GovukForm):
    home_la = forms.ModelChoiceField(queryset=None, label="Home LA")
    challenging_las = forms.ModelMultipleChoiceField(
        queryset=None, label="Challenging LA(s)", widget=forms.CheckboxSelectMultiple
    )
    date = _date("Date", "The date of the challenge")

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        las = LocalAuthority.objects.filter(region=cycle.region_id, is_active=True).order_by("name")
        self.fields["home_la"].queryset = las
        self.fields["challenging_las"].queryset = las


class ChallengeUpdateForm(GovukForm):
    status = forms.ChoiceField(choices=ChallengeStatus.choices)
    date = _date("Date", "The date of the challenge")
    evaluation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    report = forms.FileField(required=False, help_text="PDF, DOCX or ODT, up to 10 MB.")
