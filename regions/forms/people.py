"""Forms for people: inviting, accepting an invitation, and choosing people of a region."""

from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q

from accounts.models import User
from sli_portal.forms import GovukForm

from ..models import LA_ROLES, LocalAuthority, Organisation, OrganisationKind, Position, Role


def region_people(region_id: int):
    return (
        User.objects.filter(memberships__local_authority__region_id=region_id, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def region_people_and_partners(region_id: int):
    """People of the region's LAs and its partners (who may be members of its groups)."""
    return (
        User.objects.filter(
            Q(memberships__local_authority__region_id=region_id)
            | Q(memberships__role=Role.PARTNER, memberships__region_id=region_id),
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class InvitationForm(GovukForm):
    full_name = forms.CharField(max_length=150, label="Full name")
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(choices=Role.choices)
    local_authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.none(),
        required=False,
        label="Local authority",
        help_text="Needed for a DCS, performance lead or member; leave empty for a programme manager.",
    )
    position = forms.ChoiceField(
        choices=[("", "—"), *Position.choices],
        required=False,
        help_text="For members: what they do in their LA (e.g. chief executive, lead member).",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        label="Partner's organisation",
        help_text="For a partner: their organisation, or name a new one below.",
    )
    new_organisation = forms.CharField(
        max_length=150, required=False, label="Or a new organisation (e.g. Research in Practice)"
    )
    organisation_kind = forms.ChoiceField(
        choices=[("", "—"), *OrganisationKind.choices],
        required=False,
        label="The new organisation is",
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            region=region, is_active=True
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in LA_ROLES and not cleaned.get("local_authority"):
            self.add_error("local_authority", "Choose the local authority for this role.")
        if role in (Role.PROGRAMME_MANAGER, Role.PARTNER):
            cleaned["local_authority"] = None
        if role == Role.PARTNER:
            self._clean_organisation(cleaned)
        else:
            cleaned["organisation"] = None
        return cleaned

    def _clean_organisation(self, cleaned):
        name = " ".join((cleaned.get("new_organisation") or "").split())
        if cleaned.get("organisation") or not name:
            if not cleaned.get("organisation"):
                self.add_error(
                    "organisation", "Choose the partner's organisation, or name a new one."
                )
            return
        existing = Organisation.objects.filter(name__iexact=name).first()
        if existing is not None:
            cleaned["organisation"] = existing
        elif not cleaned.get("organisation_kind"):
            self.add_error("organisation_kind", "Say what kind of organisation it is.")
        else:
            # Saved by the view together with the invitation (one transaction).
            cleaned["organisation"] = Organisation(name=name, kind=cleaned["organisation_kind"])


class InvitationAcceptForm(GovukForm):
    """For someone new: their name and a password. Validated with the site's password rules."""

    full_name = forms.CharField(max_length=150, label="Full name")
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords do not match.")
        elif first:
            try:
                password_validation.validate_password(
                    first, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
