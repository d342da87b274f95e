"""Forms of a region's validation rules editor (choices are the region's return indicators)."""

from django import forms

from sli_portal.forms import GovukForm

from .models import Comparison, RangeKind, ValuePart


def _govuk(form) -> None:
    """GOV.UK classes on the widgets (the templates write the rest of the markup)."""
    for name, field in form.fields.items():
        css = "govuk-select" if isinstance(field, forms.ChoiceField) else "govuk-input"
        if name == "message":
            css += " govuk-!-width-full"
        elif css == "govuk-input":
            css += " govuk-input--width-10"
        if form.is_bound and name in form.errors:
            css += " govuk-select--error" if "select" in css else " govuk-input--error"
            field.widget.attrs["aria-describedby"] = f"{form.prefix or 'id'}-{name}-error"
        field.widget.attrs["class"] = css


def _codes(indicators) -> list[tuple[str, str]]:
    return [(i.code, f"{i.short_name} ({i.code})") for i in indicators]


class RuleForm(GovukForm):
    required_messages = {
        "right": "Choose the indicator to compare with",
    }

    prefix = "rule"

    left = forms.ChoiceField(label="Indicator")
    left_part = forms.ChoiceField(label="Figure", choices=ValuePart.choices)
    comparison = forms.ChoiceField(label="Comparison", choices=Comparison.choices)
    right = forms.ChoiceField(label="Compared with indicator")
    right_part = forms.ChoiceField(label="Its figure", choices=ValuePart.choices)
    message = forms.CharField(
        label="Message shown when a value breaks the rule",
        max_length=300,
        help_text="Say what must hold, e.g. 'Plans started must not be more than referrals'.",
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left"].choices = self.fields["right"].choices = _codes(indicators)
        _govuk(self)


class RangeForm(GovukForm):
    prefix = "range"

    code = forms.ChoiceField(label="Indicator")
    kind = forms.ChoiceField(label="Expected range", choices=RangeKind.choices)
    minimum = forms.DecimalField(label="Lowest expected value", required=False, max_digits=14)
    maximum = forms.DecimalField(label="Highest expected value", required=False, max_digits=14)
    quarters = forms.IntegerField(
        label="Quarters of the LA's history", min_value=1, max_value=20, initial=4
    )
    margin_percent = forms.DecimalField(
        label="Margin beyond the LA's lowest and highest (%)",
        min_value=0,
        max_value=1000,
        initial=10,
        decimal_places=2,
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = _codes(indicators)
        _govuk(self)
