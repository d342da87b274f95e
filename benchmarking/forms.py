from django import forms

from sli_portal.forms import GovukForm, GovukModelForm
from sli_portal.govuk_fields import GovukDateField

from .domain.files import max_upload_bytes
from .models import Indicator, Unit


class UploadForm(GovukForm):
    file = forms.FileField(
        label="Return file (XLSX or CSV)",
        help_text="Use the template: one row per indicator. The whole file is checked before "
        "anything is saved.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{limit / 1024 / 1024:.0f} MB."
            )
        return upload


class PublishedImportForm(GovukForm):
    files = forms.FileField(
        label="DfE statistics file (CSV)",
        help_text="A DfE 'Explore education statistics' CSV of a format the portal reads.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )


class CommentForm(GovukForm):
    comment = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason for reopening", max_length=90)


_DATE_HINT = "For example, 12 11 2026."


class WindowForm(GovukForm):
    fiscal_year = forms.IntegerField(
        label="Financial year starting", min_value=2010, max_value=2100, help_text="2025 = 2025-26"
    )
    quarter = forms.TypedChoiceField(
        choices=[
            (1, "Q1 (April-June)"),
            (2, "Q2 (July-September)"),
            (3, "Q3 (October-December)"),
            (4, "Q4 (January-March)"),
        ],
        coerce=int,
    )
    opens_on = GovukDateField(
        label="Opens on", error_name="The date the window opens", help_text=_DATE_HINT
    )
    due_on = GovukDateField(
        label="Due on", error_name="The date returns are due", help_text=_DATE_HINT
    )
    locks_on = GovukDateField(
        label="Locks on", error_name="The date the window locks", help_text=_DATE_HINT
    )

    def clean(self):
        data = super().clean()
        opens, due, locks = data.get("opens_on"), data.get("due_on"), data.get("locks_on")
        if opens and due and locks and not (opens <= due <= locks):
            raise forms.ValidationError(
                "The window must open on or before the due date, and lock on or after it."
            )
        return data


class LocalIndicatorForm(GovukModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "short_name",
            "name",
            "definition",
            "unit",
            "polarity",
            "decimal_places",
            "valid_min",
            "valid_max",
            "numerator_label",
            "denominator_label",
            "is_required",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

    def clean_code(self):
        return self.cleaned_data["code"].upper()

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        ratio = unit in (Unit.PERCENT, Unit.RATE_10K, Unit.RATIO)
        if ratio and not (data.get("numerator_label") and data.get("denominator_label")):
            raise forms.ValidationError(
                "A percentage, rate or ratio needs a numerator and a denominator label."
            )
        if not ratio and (data.get("numerator_label") or data.get("denominator_label")):
            raise forms.ValidationError(
                "A count or number of days has no numerator or denominator."
            )
        if (decimal_places := data.get("decimal_places")) is not None and decimal_places > 4:
            self.add_error("decimal_places", "At most 4 decimal places.")
        return data


class PriorityIndicatorForm(GovukForm):
    """Choose an indicator to link to a priority (core or the region's local indicators)."""

    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.none(),
        to_field_name="code",
        label="Indicator to link",
        empty_label="Choose an indicator",
        error_messages={
            "required": "Choose an indicator to link.",
            "invalid_choice": "That indicator cannot be linked here: choose a core indicator or "
            "one of this region's local indicators that is not linked yet.",
        },
    )

    def __init__(self, *args, region_id: int, exclude_ids=(), **kwargs):
        from .selectors.priority_links import linkable_indicators

        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = (
            linkable_indicators(region_id)
            .exclude(pk__in=list(exclude_ids))
            .order_by("theme", "display_order", "code")
        )
        self.fields["indicator"].label_from_instance = lambda i: i.name
