"""Small helpers shared by every app's forms and views.

`GovukForm` and `GovukModelForm` (the base of every form in the portal) give each field
GOV.UK-style messages derived from its label, instead of Django's "This field is required.",
and give every drop-down a meaningful first option instead of "---------":

    class ActionForm(GovukForm):
        title = forms.CharField(label="Action")          # "Enter the action"
        owner = PersonChoiceField(...)                    # first option "Choose a person",
                                                          # error "Choose an owner"
        status = forms.ChoiceField(...)                   # "Choose a status"
        required_messages = {"title": "Enter what will be done"}   # overrides, by field name
        empty_labels = {"owner": "No owner yet"}

Messages come from the label with any trailing "(...)" left off ("Amount (£)" -> "Enter the
amount", "Amount must be a number"). A field whose message was set explicitly keeps it. The
rules run once per field, after the form's own __init__ (fields added or relabelled there are
covered), before it is cleaned or shown.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.utils import pretty_name

DASHES = {BLANK_CHOICE_DASH[0][1], "—", "-", ""}
_ARTICLES = ("the ", "a ", "an ", "your ", "their ", "its ", "his ", "her ", "who ", "what ")
_ACRONYM = re.compile(r"^[A-Z]{2,}s?\b")


def label_phrase(label: str) -> str:
    """The label as words inside a sentence: trailing '(...)' and ':' off, first letter lower
    case unless it starts with an acronym ("LA", "DCS")."""
    text = re.sub(r"\s*\([^)]*\)\s*$", "", str(label)).strip().rstrip(":?").strip()
    if not text:
        return "an answer"
    first_word = text.split()[0]
    if _ACRONYM.match(text) or any(c.isupper() for c in first_word[1:]):  # "LA", "DfE"
        return text
    return text[:1].lower() + text[1:]


def _article(phrase: str, definite: bool) -> str:
    if phrase.lower().startswith(_ARTICLES):
        return phrase
    if definite:
        return f"the {phrase}"
    vowel = phrase[:1].lower() in "aeio" or re.match(r"^(LA|MP|HMI|SLI)s?\b", phrase)
    return f"{'an' if vowel else 'a'} {phrase}"


def _capital(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _is_choice(field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        field.widget, forms.Select | forms.RadioSelect
    )


def _model_noun(field) -> str:
    """'a person' / 'a local authority' for drop-downs of people and LAs."""
    model = getattr(getattr(field, "queryset", None), "model", None)
    name = getattr(model, "__name__", "")
    people = {"User": "a person", "Membership": "a person"}
    return {**people, "LocalAuthority": "a local authority"}.get(name, "")


def _default(field, code: str) -> bool:
    """Whether the field still has Django's own message for `code`."""
    message = field.error_messages.get(code)
    if message is None:
        return True
    for klass in type(field).__mro__:
        default = getattr(klass, "default_error_messages", {}).get(code)
        if default is not None and str(default) == str(message):
            return True
    return False


def govuk_messages(field, label: str, *, required: str = "", empty_label: str = "") -> None:
    """Set GOV.UK messages (and a drop-down's first option) on one field, from its label."""
    phrase = label_phrase(label)
    name = _capital(phrase)
    multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    if isinstance(field, forms.FileField):
        wanted = f"Choose {_article(phrase, definite=True)} to upload"
    elif isinstance(field, forms.BooleanField):
        wanted = f"Tick “{_capital(phrase)}”"
    elif multiple:
        wanted = f"Choose at least one {phrase}"
    elif _is_choice(field):
        wanted = f"Choose {_article(phrase, definite=False)}"
    else:
        wanted = f"Enter {_article(phrase, definite=True)}"
    messages = {
        "required": required or wanted,
        "invalid_choice": f"{(required or wanted)} from the list",
        "invalid_list": f"{(required or wanted)} from the list",
        "max_length": f"{name} must be %(limit_value)s characters or fewer",
        "min_length": f"{name} must be %(limit_value)s characters or more",
        "min_value": f"{name} must be %(limit_value)s or more",
        "max_value": f"{name} must be %(limit_value)s or less",
        "max_digits": f"{name} must have no more than %(max)s digits",
        "max_decimal_places": f"{name} must have no more than %(max)s decimal places",
    }
    if isinstance(field, forms.DecimalField | forms.FloatField):  # both are IntegerFields
        messages["invalid"] = f"{name} must be a number"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{name} must be a whole number"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = (
            "Enter a web address in the correct format, like https://www.example.org"
        )
    for code, message in messages.items():
        if (code == "required" and required) or _default(field, code):
            field.error_messages[code] = message
    if isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.RadioSelect):
        _empty_option(field, empty_label or _model_noun_option(field) or wanted)
        if _model_noun(field) and not isinstance(field.widget, forms.SelectMultiple):
            # static/js/autocomplete.js: type part of a name to choose an LA or a person.
            field.widget.attrs.setdefault("data-autocomplete", "true")


def _model_noun_option(field) -> str:
    noun = _model_noun(field)
    return f"Choose {noun}" if noun else ""


def _empty_option(field, text: str) -> None:
    if isinstance(field, forms.ModelChoiceField) and not isinstance(
        field, forms.ModelMultipleChoiceField
    ):
        if field.empty_label is not None and str(field.empty_label) in DASHES:
            field.empty_label = text
        return
    if isinstance(field, forms.ChoiceField):
        choices = list(field.choices)  # type: ignore[arg-type]
        if any(value == "" and str(label) in DASHES for value, label in choices):
            field.choices = [
                (value, text if value == "" and str(label) in DASHES else label)
                for value, label in choices
            ]


class GovukFormMixin(forms.BaseForm):
    """GOV.UK messages for every field (see the module's docstring)."""

    required_messages: dict[str, str] = {}
    empty_labels: dict[str, str] = {}

    def _govuk_fields(self) -> None:
        done = self.__dict__.setdefault("_govuk_done", set())
        for name, field in self.fields.items():
            if name in done:
                continue
            done.add(name)
            label = str(field.label or pretty_name(name))
            if hasattr(field, "error_name"):  # a GOV.UK date input names itself in its messages
                field.error_name = field.error_name or _capital(label_phrase(label))
                label = field.error_name
            govuk_messages(
                field,
                label,
                required=self.required_messages.get(name, ""),
                empty_label=self.empty_labels.get(name, ""),
            )

    def full_clean(self):
        self._govuk_fields()
        super().full_clean()

    def __getitem__(self, name):
        self._govuk_fields()
        return super().__getitem__(name)

    def __iter__(self):
        self._govuk_fields()
        return super().__iter__()


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


def add_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
