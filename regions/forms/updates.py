"""Forms for regional updates, the region's public pages and its mailing list."""

from django import forms

from sli_portal.forms import GovukForm, GovukModelForm
from sli_portal.govuk_fields import GovukDateField

from ..models import PublicProfile
from ..services.subscriptions import PROFILE_FIELDS


class UpdateForm(GovukForm):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=400, required=False, help_text="One or two sentences, shown in lists and feeds."
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20}),
        required=False,
        help_text="Markdown: ## for a heading, - for a list item, [text](https://...) for a link.",
    )
    tags = forms.CharField(
        max_length=400, required=False, help_text="Separate tags with commas, e.g. SLI, SOUTH WEST."
    )
    is_public = forms.BooleanField(
        required=False, label="Show on the region's public pages and send to subscribers"
    )
    publish_date = GovukDateField(
        required=False,
        label="Publish date (optional)",
        error_name="The publish date",
        help_text="For example, 14 6 2026. Leave empty for the day it is published.",
    )
    keep_featured_event = forms.BooleanField(required=False, label="Show the featured event")

    def clean_tags(self):
        return [part.strip() for part in self.cleaned_data["tags"].split(",") if part.strip()]


class PublicProfileForm(GovukModelForm):
    class Meta:
        model = PublicProfile
        fields = list(PROFILE_FIELDS)  # the fields the service accepts, in its order
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}


class SubscribeForm(GovukForm):
    email = forms.EmailField(label="Email address", max_length=254)
    name = forms.CharField(label="Name (optional)", max_length=150, required=False)
    organisation = forms.CharField(label="Organisation (optional)", max_length=150, required=False)
