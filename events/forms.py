from django import forms
from django.core.exceptions import FieldDoesNotExist

from regions.models import Region
from sli_portal.forms import GovukForm, GovukModelForm
from sli_portal.govuk_fields import GovukDateField, GovukDateTimeField

from .models import Event, EventStatus, WorkshopMode

_TIME_HINT = "For example, 27 3 2027 and 14:30. Times are UK time, on the 24-hour clock."


def _datetime_field(
    label: str, error_name: str, required: bool = True, help_text: str = ""
) -> GovukDateTimeField:
    """A GOV.UK date input with a 24-hour time box (UK time); see sli_portal/govuk_fields.py."""
    return GovukDateTimeField(
        label=label,
        error_name=error_name,
        required=required,
        help_text=f"{help_text} {_TIME_HINT}".strip(),
    )


class EventForm(GovukModelForm):
    online_url = forms.URLField(label="Online joining link", required=False, assume_scheme="https")
    starts_at = _datetime_field("Starts", "The start")
    ends_at = _datetime_field("Ends", "The end")
    registration_opens_at = _datetime_field(
        "Registration opens (optional)",
        "The date registration opens",
        required=False,
        help_text="Leave empty to open registration as soon as the event is published.",
    )
    registration_closes_at = _datetime_field(
        "Registration closes (optional)",
        "The date registration closes",
        required=False,
        help_text="Leave empty to keep registration open until the event starts.",
    )
    pool_release_at = _datetime_field(
        "Release unused places to a regional pool on (optional)",
        "The date unused places go to the pool",
        required=False,
        help_text="Leave empty for no pool. After this time LAs can request places others "
        "did not use.",
    )

    class Meta:
        model = Event
        fields = [
            "region",
            "kind",
            "title",
            "focus",
            "description",
            "venue",
            "address",
            "online_url",
            "starts_at",
            "ends_at",
            "status",
            "registration_opens_at",
            "registration_closes_at",
            "capacity",
            "places_per_la",
            "members_may_self_register",
            "workshop_mode",
            "pool_release_at",
            "quorum",
            "quorum_warning_days",
            "is_public",
            "audience",
            "how_to_book",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "workshop_mode": forms.RadioSelect,
        }

    # The form in the order an organiser thinks of an event, GOV.UK style: a fieldset per
    # section, the rarely used settings behind a details component (opened when one of them is
    # filled in or wrong). (legend, field names, optional section)
    SECTIONS = (
        ("About the event", ("region", "kind", "title", "focus", "description"), False),
        ("When it happens", ("starts_at", "ends_at"), False),
        ("Where it happens", ("venue", "address", "online_url"), False),
        (
            "Places and registration",
            (
                "status",
                "places_per_la",
                "capacity",
                "members_may_self_register",
                "registration_opens_at",
                "registration_closes_at",
                "workshop_mode",
            ),
            False,
        ),
        ("Regional pool of unused places", ("pool_release_at",), True),
        ("Meetings: quorum", ("quorum", "quorum_warning_days"), True),
        ("The region's public pages", ("is_public", "audience", "how_to_book"), True),
    )
    required_messages = {
        "title": "Enter the event title",
        "kind": "Choose the kind of event",
        "region": "Choose the region the event is for",
        "status": "Choose whether the event is a draft or published",
        "starts_at": "Enter the date and time the event starts",
        "ends_at": "Enter the date and time the event ends",
        "places_per_la": "Enter the number of delegate places per local authority",
        "workshop_mode": "Choose how delegates get workshops",
    }

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["region"]
            self.fields["status"].choices = [
                choice for choice in EventStatus.choices if choice[0] != EventStatus.CANCELLED
            ]
        else:
            self.fields["region"].queryset = (
                regions if regions is not None else Region.objects.none()
            )
            self.fields["region"].empty_label = None
            self.fields["status"].choices = [
                (EventStatus.DRAFT, "Draft (only organisers see it)"),
                (EventStatus.PUBLISHED, "Published (open to the region)"),
            ]
        self.fields["kind"].label = "Kind of event"
        self.fields["title"].label = "Event title"
        self.fields["workshop_mode"].label = "Workshops"
        self.fields["quorum_warning_days"].required = False
        for name in ("focus", "description", "venue", "address", "online_url", "capacity"):
            self.fields[name].label = f"{self.fields[name].label} (optional)"
        self.fields["quorum"].label = "Quorum (optional)"
        self.fields["audience"].label = "Who it is for (optional)"
        self.fields["how_to_book"].label = "How to get a place (optional)"

    def sections(self) -> list[dict]:
        """Each section's legend and bound fields; an optional one is open when one of its
        fields has a value (other than its default) or an error."""
        result = []
        for legend, names, optional in self.SECTIONS:
            bound = [self[name] for name in names if name in self.fields]
            if not bound:
                continue
            used = any(field.errors or _filled(field) for field in bound)
            result.append({"legend": legend, "fields": bound, "optional": optional, "open": used})
        return result

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quorum_warning_days") is None:
            cleaned["quorum_warning_days"] = Event._meta.get_field("quorum_warning_days").default
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The event must end after it starts.")
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", "Registration must close after it opens.")
        return cleaned


def _filled(field) -> bool:
    """Whether a bound field of the event form holds something other than empty or the default."""
    value = field.value()
    if value in (None, "", False) or (isinstance(value, list | tuple) and not any(value)):
        return False
    try:
        default = Event._meta.get_field(field.name).default
    except FieldDoesNotExist:
        return True
    return str(value) != str(default)


class SessionForm(GovukForm):
    required_messages = {
        "title": "Enter the title of the session",
        "starts_at": "Enter the date and time the session starts",
        "ends_at": "Enter the date and time the session ends",
    }

    title = forms.CharField(max_length=200)
    starts_at = _datetime_field("Starts", "The start")
    ends_at = _datetime_field("Ends", "The end")
    location = forms.CharField(label="Room", max_length=150, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_workshop = forms.BooleanField(label="This is a workshop delegates choose", required=False)
    capacity = forms.IntegerField(
        label="Workshop places", min_value=1, required=False, help_text="Empty for no limit."
    )
    speakers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One speaker a line: name, role, organisation "
        "(e.g. “Helen Lincoln, DCS, Essex County Council”).",
    )

    def clean_speakers(self):
        speakers = []
        for number, line in enumerate(self.cleaned_data["speakers"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",", 2)]
            if not parts[0]:
                raise forms.ValidationError(f"Line {number}: start with the speaker's name.")
            parts += [""] * (3 - len(parts))
            speakers.append(tuple(parts))
        return speakers


class _WorkshopFields(GovukForm):
    """Workshop choice: tick boxes (book now) or first/second/third choice (ranked)."""

    def add_workshop_fields(self, event, workshops, initial_ids=()):
        self.has_workshops = bool(workshops)
        if not workshops:
            return
        ranked = event.workshop_mode == WorkshopMode.RANKED and event.workshops_allocated_at is None
        self.ranked = ranked
        if ranked:
            choices = [("", "No preference"), *((w.pk, w.title) for w in workshops)]
            for i, label in enumerate(("First", "Second", "Third")[: len(workshops)]):
                self.fields[f"preference_{i + 1}"] = forms.TypedChoiceField(
                    label=f"{label} choice of workshop",
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=initial_ids[i] if i < len(initial_ids) else None,
                )
        else:
            self.fields["workshops"] = forms.TypedMultipleChoiceField(
                label="Workshops",
                choices=[(w.pk, _workshop_label(w)) for w in workshops],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(initial_ids),
                help_text="Workshops at the same time: choose one.",
            )

    def chosen_workshops(self) -> list[int]:
        if "workshops" in self.fields:
            return list(self.cleaned_data.get("workshops") or [])
        chosen = []
        for name in ("preference_1", "preference_2", "preference_3"):
            value = self.cleaned_data.get(name)
            if value is not None and value not in chosen:
                chosen.append(value)
        return chosen


def _workshop_label(workshop) -> str:
    from django.utils import timezone

    label = f"{workshop.title} ({timezone.localtime(workshop.starts_at):%H:%M}"
    if workshop.capacity is not None:
        label += f", {max(workshop.capacity - getattr(workshop, 'taken', 0), 0)} places left"
    return label + ")"


_NEEDS_HELP = "Only the event's organisers see this. It is deleted after the event."


class DelegateForm(_WorkshopFields):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address")
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    dietary_needs = forms.CharField(
        label="Dietary needs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_NEEDS_HELP,
    )
    access_needs = forms.CharField(
        label="Access needs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_NEEDS_HELP,
    )

    def __init__(self, *args, event, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_workshop_fields(event, workshops)


class ColleaguesForm(GovukForm):
    """Tick the LA's people to register (GOV.UK checkboxes)."""

    colleagues = forms.ModelMultipleChoiceField(
        label="Choose people from your local authority",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one person to register."},
        help_text="Each gets a confirmation email. Their workshops can be chosen afterwards "
        "with Edit.",
    )

    def __init__(self, *args, colleagues, free: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["colleagues"]
        field.queryset = colleagues
        field.label_from_instance = lambda user: (
            f"{user.full_name}, {user.job_title}" if user.job_title else user.full_name
        )
        self.free = free

    def clean_colleagues(self):
        chosen = self.cleaned_data["colleagues"]
        if len(chosen) > self.free:
            raise forms.ValidationError(
                f"You chose {len(chosen)} people but only {self.free} "
                f"place{'s are' if self.free != 1 else ' is'} free."
            )
        return chosen


class SelfRegistrationForm(_WorkshopFields):
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    dietary_needs = DelegateForm.base_fields["dietary_needs"]
    access_needs = DelegateForm.base_fields["access_needs"]

    def __init__(self, *args, event, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_workshop_fields(event, workshops)


class DelegateEditForm(_WorkshopFields):
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    dietary_needs = forms.CharField(
        label="New dietary needs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty to keep what is recorded. " + _NEEDS_HELP,
    )
    access_needs = forms.CharField(
        label="New access needs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty to keep what is recorded. " + _NEEDS_HELP,
    )

    def __init__(self, *args, event, workshops, delegate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_title"].initial = delegate.job_title
        initial = [choice.session_id for choice in delegate.workshop_choices]
        self.add_workshop_fields(event, workshops, initial)


class SubstituteForm(GovukForm):
    full_name = forms.CharField(label="Full name of the new delegate", max_length=150)
    email = forms.EmailField(label="Their email address")
    job_title = forms.CharField(label="Their job title", max_length=150, required=False)
    dietary_needs = DelegateForm.base_fields["dietary_needs"]
    access_needs = DelegateForm.base_fields["access_needs"]


class AllocationForm(GovukForm):
    """Places for each LA of the region (the event's default unless changed)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"la_{row.local_authority.pk}"] = forms.IntegerField(
                label=f"Places for {row.local_authority.name}",
                min_value=0,
                max_value=500,
                initial=row.places,
            )

    def changed_places(self):
        for row in self.rows:
            value = self.cleaned_data.get(f"la_{row.local_authority.pk}")
            if value is not None and value != row.places:
                yield row.local_authority, value


class InviteByRoleForm(GovukForm):
    required_messages = {
        "role": "Choose who to invite",
    }

    role = forms.ChoiceField(
        label="Invite everyone in the region who is",
        choices=[
            ("dcs", "a director of children's services"),
            ("performance_lead", "a performance lead"),
            ("member", "a member (AD, PSW, lead member, chief executive)"),
            ("programme_manager", "a programme manager"),
            ("partner", "a partner (DfE, LGA, inspectorates, health, police, ...)"),
        ],
    )


class MeetingResponseForm(GovukForm):
    response = forms.ChoiceField(
        label="Your reply",
        choices=[("attending", "I will attend"), ("apologies", "I send apologies")],
        widget=forms.RadioSelect,
    )
    deputy_name = forms.CharField(
        label="Deputy's name", max_length=150, required=False, help_text="If someone comes instead."
    )
    deputy_email = forms.EmailField(label="Deputy's email address", required=False)


class FeedbackForm(GovukForm):
    required_messages = {
        "rating": "Choose how useful the event was",
    }

    rating = forms.TypedChoiceField(
        label="Overall, how useful was the event?",
        choices=[
            (5, "5: very useful"),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, "1: not useful"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    most_useful = forms.CharField(
        label="What was most useful?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    improve = forms.CharField(
        label="What should we change next time?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentForm(GovukForm):
    title = forms.CharField(max_length=200, required=False, help_text="Empty: the file's name.")
    upload = forms.FileField(
        label="File",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, CSV or text; up to 10 MB.",
    )


class ExternalDateForm(GovukForm):
    required_messages = {
        "region": "Choose the region",
        "title": "Enter what happens that day",
    }

    region = forms.ModelChoiceField(queryset=Region.objects.none(), label="For")
    title = forms.CharField(max_length=200, label="What happens that day")
    date = GovukDateField(label="Date", help_text="For example, 27 3 2027.")

    def __init__(self, *args, regions, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].required = not national
        self.fields["region"].empty_label = "Every region (national)" if national else None


class GuestPlacesForm(GovukForm):
    """The programme manager gives a partner organisation guest places at an event."""

    organisation = forms.ModelChoiceField(
        label="Partner organisation",
        queryset=None,
        empty_label="Choose an organisation",
        error_messages={"required": "Choose the partner organisation to give places to."},
    )
    places = forms.IntegerField(
        label="Guest places",
        help_text="Outside the LAs' places. 0 takes back the places nobody holds.",
        min_value=0,
        max_value=50,
        error_messages={
            "required": "Enter the number of guest places, for example 2.",
            "invalid": "Guest places must be a whole number, for example 2.",
            "min_value": "Guest places cannot be negative.",
            "max_value": "Guest places must be 50 or fewer.",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
