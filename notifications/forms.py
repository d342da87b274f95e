from django import forms

from sli_portal.forms import GovukForm

from .models import Delivery


class PreferenceForm(GovukForm):
    delivery = forms.ChoiceField(
        label="How should we tell you when something needs you?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how you want to be told.",
            "invalid_choice": "Choose one of the options.",
        },
    )
