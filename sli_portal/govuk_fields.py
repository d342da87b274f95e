"""The GOV.UK date input (day, month and year boxes) as a Django form field, and the same with a
24-hour time box for a date and time.

    from sli_portal.govuk_fields import GovukDateField, GovukDateTimeField
    due_on = GovukDateField(label="Due on", required=False)
    starts_at = GovukDateTimeField(label="Start date and time", error_name="The start")

`GovukDateField` cleans to a `datetime.date` (or None when optional and left blank) and says
exactly what is wrong, in the Design System's words, naming the field: "Due on must include a
month", "Due on must be a real date", "Enter due on". `GovukDateTimeField` adds a time box
("14:30", "9.05", "2pm" and "2:30pm" are understood) and cleans to an aware datetime in UK time;
"The start must include a time", "The start must be a real time, for example 14:30".
`error_name` names the field in messages when the label does not read well there.

The error summary (base.html) links to the first wrong box, and the boxes with the problem get
the red border. crispy-forms-gds renders both as a fieldset with a legend (its MultiWidget
branch, which reads `field.fields`: each field gives it one stand-in per box); the plain
`{{ field }}` also works.

A client that posts one value under the field's own name (an ISO date "2027-03-01", or
"2027-03-01T10:00" for a date and time) is understood too, so scripts and tests need not post
the boxes; the boxes win when both are sent.
"""

import datetime
import re
from types import SimpleNamespace

from django import forms
from django.utils import timezone

PARTS = ("day", "month", "year")
DATETIME_PARTS = (*PARTS, "time")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


def date_parts(value) -> list:
    """[day, month, year] of a date or an ISO date string; three Nones otherwise."""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    if isinstance(value, datetime.date):
        return [value.day, value.month, value.year]
    if isinstance(value, str) and value:
        try:
            parsed = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return [None, None, None]
        return [parsed.day, parsed.month, parsed.year]
    return [None, None, None]


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def datetime_parts(value) -> list:
    """[day, month, year, "HH:MM"] of a datetime (in UK time) or an ISO string; Nones otherwise."""
    if isinstance(value, str) and value:
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return [None] * 4
    if isinstance(value, datetime.datetime):
        local = _local(value)
        return [local.day, local.month, local.year, f"{local.hour:02d}:{local.minute:02d}"]
    return [None] * 4


def parse_time(text: str) -> datetime.time | None:
    """'14:30', '14.30', '9:05', '14', '2pm', '2:30 pm' -> a time; None when it is not one."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower().replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return datetime.time(hour, minute)


class GovukDateInput(forms.MultiWidget):
    template_name = "widgets/govuk_date_input.html"
    parts: tuple[str, ...] = PARTS

    def __init__(self, attrs=None):
        widths = {"day": 2, "month": 2, "year": 4, "time": 5}
        widgets = [
            forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{widths[part]}",
                    "inputmode": "numeric" if part != "time" else "text",
                    **({"autocomplete": "off"} if part == "time" else {}),
                }
            )
            for part in self.parts
        ]
        super().__init__(widgets, attrs)
        self.error_parts: set[int] = set()

    def decompress(self, value):
        return date_parts(value)

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if all(part in (None, "") for part in parts) and data.get(name):
            return data.get(name)  # one ISO value posted under the field's own name
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for index, (part, sub) in enumerate(
            zip(self.parts, context["widget"]["subwidgets"], strict=True)
        ):
            sub["label"] = part.capitalize()
            classes = sub["attrs"]["class"].split()
            if index in self.error_parts and "govuk-input--error" not in classes:
                classes.append("govuk-input--error")
            elif index not in self.error_parts and "govuk-input--error" in classes:
                classes.remove("govuk-input--error")
            sub["attrs"]["class"] = " ".join(classes)
        context["widget"]["parts"] = list(
            zip(self.parts, context["widget"]["subwidgets"], strict=True)
        )
        return context

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class GovukDateTimeInput(GovukDateInput):
    parts = DATETIME_PARTS

    def decompress(self, value):
        return datetime_parts(value)


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK error messages."""

    widget = GovukDateInput

    def __init__(
        self, *, min_year: int = 1900, max_year: int = 2200, error_name: str = "", **kwargs
    ):
        self.min_year, self.max_year = min_year, max_year
        self.error_name = error_name
        self.error_part: int | None = None
        self.error_message = ""
        super().__init__(**kwargs)

    @property
    def fields(self) -> list:
        """One stand-in per box for crispy-forms-gds, with the error on the boxes that are wrong."""
        return [
            SimpleNamespace(
                widget=SimpleNamespace(
                    errors=[self.error_message] if index in self.widget.error_parts else []
                )
            )
            for index in range(len(self.widget.parts))
        ]

    def _name(self) -> str:
        if self.error_name:
            return self.error_name
        return str(self.label) if self.label else "Date"

    def _fail(self, message: str, parts) -> forms.ValidationError:
        self.error_part = min(parts)
        self.widget.error_parts = set(parts)
        self.error_message = message
        return forms.ValidationError(message, code="invalid")

    def _reset(self) -> None:
        self.error_part, self.widget.error_parts, self.error_message = None, set(), ""

    def _date(self, texts: list[str]) -> datetime.date | None:
        """The date of three typed boxes; None when all three are empty."""
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

    @staticmethod
    def _texts(value, count: int) -> list[str]:
        value = list(value or [None] * count)
        return [str(v).strip() if v not in (None, "") else "" for v in value]

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        self._reset()
        if isinstance(value, str):
            parts = date_parts(value.strip())
            if value.strip() and parts[0] is None:
                raise self._fail(f"{self._name()} must be a real date", [0])
            value = parts
        return self._date(self._texts(value, 3))

    def _required_message(self) -> str:
        message = self.error_messages.get("required")
        if message and str(message) != str(forms.Field.default_error_messages["required"]):
            return str(message)
        return f"Enter {self._name()[:1].lower()}{self._name()[1:]}"

    def validate(self, value):
        if value in self.empty_values and self.required:
            self.error_part, self.widget.error_parts = 0, set(range(len(self.widget.parts)))
            self.error_message = self._required_message()
            raise forms.ValidationError(self.error_message, code="required")
        super().validate(value)

    def prepare_value(self, value):
        return value

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except forms.ValidationError:
            return True
        return initial != data


class GovukDateTimeField(GovukDateField):
    """A date (day, month, year) and a 24-hour time, cleaned to an aware datetime in UK time."""

    widget = GovukDateTimeInput

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value)
        self._reset()
        if isinstance(value, str):
            parts = datetime_parts(value.strip())
            if value.strip() and parts[0] is None:
                raise self._fail(f"{self._name()} must be a real date", [0])
            value = parts
        texts = self._texts(value, 4)
        name = self._name()
        day = self._date(texts[:3])
        if day is None:
            if texts[3]:
                raise self._fail(f"{name} must include a day, month and year", [0, 1, 2])
            return None
        if not texts[3]:
            raise self._fail(f"{name} must include a time, for example 14:30", [3])
        time = parse_time(texts[3])
        if time is None:
            raise self._fail(f"{name} must be a real time, for example 14:30", [3])
        return timezone.make_aware(datetime.datetime.combine(day, time))
