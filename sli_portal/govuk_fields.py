"""The GOV.UK date input (day, month and year boxes) as a Django form field.

    from sli_portal.govuk_fields import GovukDateField
    due_on = GovukDateField(label="Due on", required=False)

It cleans to a `datetime.date` (or None when optional and left blank) and says exactly what is
wrong, in the Design System's words, naming the field: "Due on must include a month", "Due on
must be a real date", "Enter due on". The error summary (base.html) links to the first wrong box,
and the boxes with the problem get the red border. crispy-forms-gds renders it as a fieldset with
a legend (its MultiWidget branch); the plain `{{ field }}` also works.
"""

import datetime

from django import forms

PARTS = ("day", "month", "year")


def date_parts(value) -> list:
    """[day, month, year] of a date or an ISO date string; three Nones otherwise."""
    if isinstance(value, datetime.date):
        return [value.day, value.month, value.year]
    if isinstance(value, str) and value:
        try:
            parsed = datetime.date.fromisoformat(value)
        except ValueError:
            return [None, None, None]
        return [parsed.day, parsed.month, parsed.year]
    return [None, None, None]


class GovukDateInput(forms.MultiWidget):
    template_name = "widgets/govuk_date_input.html"

    def __init__(self, attrs=None):
        widths = {"day": 2, "month": 2, "year": 4}
        widgets = [
            forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{widths[part]}",
                    "inputmode": "numeric",
                }
            )
            for part in PARTS
        ]
        super().__init__(widgets, attrs)
        self.error_parts: set[int] = set()

    def decompress(self, value):
        return date_parts(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for index, (part, sub) in enumerate(
            zip(PARTS, context["widget"]["subwidgets"], strict=True)
        ):
            sub["label"] = part.capitalize()
            if index in self.error_parts:
                sub["attrs"]["class"] += " govuk-input--error"
        context["widget"]["parts"] = zip(PARTS, context["widget"]["subwidgets"], strict=True)
        return context

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK error messages."""

    widget = GovukDateInput

    def __init__(self, *, min_year: int = 1900, max_year: int = 2200, **kwargs):
        self.min_year, self.max_year = min_year, max_year
        self.error_part: int | None = None
        super().__init__(**kwargs)

    def _name(self) -> str:
        return str(self.label) if self.label else "Date"

    def _fail(self, message: str, parts) -> forms.ValidationError:
        self.error_part = min(parts)
        self.widget.error_parts = set(parts)
        return forms.ValidationError(message, code="invalid")

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        self.error_part, self.widget.error_parts = None, set()
        if isinstance(value, str):
            value = date_parts(value)
        texts = [str(v).strip() if v not in (None, "") else "" for v in (value or [None] * 3)]
        missing = [i for i, text in enumerate(texts) if not text]
        name = self._name()
        if len(missing) == 3:
            return None
        if missing:
            words = " and ".join(PARTS[i] for i in missing)
            raise self._fail(f"{name} must include a {words}", missing)
        numbers = []
        for index, text in enumerate(texts):
            if not text.isdigit():
                raise self._fail(f"{name} must be a real date", [index])
            numbers.append(int(text))
        day, month, year = numbers
        if len(texts[2]) != 4:
            raise self._fail("Year must include 4 numbers", [2])
        try:
            result = datetime.date(year, month, day)
        except ValueError:
            parts = [1] if not 1 <= month <= 12 else [0]
            raise self._fail(f"{name} must be a real date", parts) from None
        if not self.min_year <= year <= self.max_year:
            raise self._fail(f"{name} must be between {self.min_year} and {self.max_year}", [2])
        return result

    def validate(self, value):
        if value in self.empty_values and self.required:
            self.error_part, self.widget.error_parts = 0, {0, 1, 2}
            raise forms.ValidationError(f"Enter {self._name().lower()}", code="required")
        super().validate(value)

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except forms.ValidationError:
            return True
        return initial != data
