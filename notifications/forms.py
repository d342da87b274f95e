from django import forms

from .models import Delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label="How should we tell you when something needs you?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how you want to be told.",
            "invalid_choice": "Choose one of the options.",
        },
    )
