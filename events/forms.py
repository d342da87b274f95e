from django import forms

from regions.models import Region

from .models import Event, EventStatus, WorkshopMode

_LONDON = " (UK time)"


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker; values are read and shown in Europe/London."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _datetime_field(label: str, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label + _LONDON,
        required=required,
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=help_text,
    )


class EventForm(forms.ModelForm):
    online_url = forms.URLField(label="Online joining link", required=False, assume_scheme="https")
    starts_at = _datetime_field("Starts")
    ends_at = _datetime_field("Ends")
    registration_opens_at = _datetime_field(
        "Registration opens", required=False, help_text="Empty: open as soon as it is published."
    )
    registration_closes_at = _datetime_field(
        "Registration closes", required=False, help_text="Empty: open until the event starts."
    )
    pool_release_at = _datetime_field(
        "Release unused places to a regional pool on",
        required=False,
        help_text="Empty: no pool. After this time LAs can request places others did not use.",
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
        self.fields["workshop_mode"].label = "Workshops"
        self.fields["quorum_warning_days"].required = False

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


class SessionForm(forms.Form):
    title = forms.CharField(max_length=200)
    starts_at = _datetime_field("Starts")
    ends_at = _datetime_field("Ends")
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


class _WorkshopFields(forms.Form):
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


class ColleaguesForm(forms.Form):
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


class SubstituteForm(forms.Form):
    full_name = forms.CharField(label="Full name of the new delegate", max_length=150)
    email = forms.EmailField(label="Their email address")
    job_title = forms.CharField(label="Their job title", max_length=150, required=False)
    dietary_needs = DelegateForm.base_fields["dietary_needs"]
    access_needs = DelegateForm.base_fields["access_needs"]


class AllocationForm(forms.Form):
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


class InviteByRoleForm(forms.Form):
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


class MeetingResponseForm(forms.Form):
    response = forms.ChoiceField(
        label="Your reply",
        choices=[("attending", "I will attend"), ("apologies", "I send apologies")],
        widget=forms.RadioSelect,
    )
    deputy_name = forms.CharField(
        label="Deputy's name", max_length=150, required=False, help_text="If someone comes instead."
    )
    deputy_email = forms.EmailField(label="Deputy's email address", required=False)


class FeedbackForm(forms.Form):
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


class DocumentForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Empty: the file's name.")
    upload = forms.FileField(
        label="File",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, CSV or text; up to 10 MB.",
    )


class ExternalDateForm(forms.Form):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label="For")
    title = forms.CharField(max_length=200, label="What happens that day")
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, regions, national: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].required = not national
        self.fields["region"].empty_label = "Every region (national)" if national else None


class GuestPlacesForm(forms.Form):
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
