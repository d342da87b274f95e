"""GOV.UK style for dates, times and numbers, and the page's form errors (for the error summary
and the "Error: " title prefix in base.html).

    {% load govuk %}
    {{ event.starts_at|govuk_datetime }}   8 December 2026 at 14:30
    {{ plan.launch_date|govuk_date }}      8 December 2026
    {{ row.due_on|govuk_date_short }}      8 Dec 2026 (tables)
    {{ event.starts_at|govuk_time }}       14:30
    {{ value|number }}                     1,234.5  (no trailing zeros)
    {{ value|number:1 }}                   1,234.5  (at most one decimal place, rounded)
    {{ count|plural:"local authority,local authorities" }}   1 local authority / 3 local authorities

Datetimes are shown in the portal's time zone (UK time). Empty values show as "" so a template
can add its own "Not set".
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms, template
from django.http import QueryDict
from django.utils import timezone

register = template.Library()

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _local(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter
def govuk_date(value) -> str:
    """'8 December 2026': day without a leading zero, month in full."""
    value = _local(value)
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def govuk_date_short(value) -> str:
    """'8 Dec 2026' (tables and other tight spaces). September is 'Sept', as GOV.UK writes it."""
    value = _local(value)
    if not isinstance(value, datetime.date):
        return ""
    month = MONTHS[value.month - 1]
    short = "Sept" if value.month == 9 else month[:3]
    return f"{value.day} {short} {value.year}"


@register.filter
def govuk_time(value) -> str:
    """'14:30', 24-hour, in UK time."""
    value = _local(value)
    if not isinstance(value, datetime.datetime | datetime.time):
        return ""
    return f"{value.hour:02d}:{value.minute:02d}"


@register.filter
def govuk_datetime(value) -> str:
    """'8 December 2026 at 14:30'."""
    if not isinstance(value, datetime.datetime):
        return govuk_date(value)
    return f"{govuk_date(value)} at {govuk_time(value)}"


@register.filter
def number(value, places=None) -> str:
    """Thousands separators and no trailing zeros: 25000.00 -> '25,000'; 15.5000 -> '15.5'.

    With `places`, rounds (half up) to at most that many decimal places first."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    if places not in (None, ""):
        amount = amount.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    text = f"{amount:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@register.filter
def plural(count, forms_text: str = ",s") -> str:
    """'1 local authority', '3 local authorities': the count and the right word.

    `forms_text` is "singular,plural" ("delegate,delegates"); with a bare suffix pair like
    Django's pluralize (",s") the word is not known, so give both words."""
    try:
        n = int(count)
    except (TypeError, ValueError):
        n = len(count) if hasattr(count, "__len__") else 0
    singular, _, many = forms_text.partition(",")
    return f"{number(n)} {singular if n == 1 else many}"


def _forms_in(values):
    for value in values:
        if isinstance(value, forms.BaseForm | forms.BaseFormSet):
            yield value


@register.simple_tag(takes_context=True)
def forms_with_errors(context) -> list:
    """The bound forms (and formsets) on this page that have errors, each once, in context order.

    base.html puts "Error: " in front of the title when there is any, and shows one GOV.UK error
    summary for each at the top of the page."""
    found: list = []
    for value in _forms_in(context.flatten().values()):
        if value.is_bound and value not in found and _has_errors(value):
            found.append(value)
    return found


def _has_errors(form) -> bool:
    if isinstance(form, forms.BaseFormSet):
        return bool(form.non_form_errors()) or any(f.errors for f in form.forms)
    return bool(form.errors)


@register.filter
def error_links(form) -> list[tuple[str, str]]:
    """(anchor, message) pairs for a form's error summary: each message links to its field (a
    date input's first wrong part), errors about the whole form to the first field."""
    if isinstance(form, forms.BaseFormSet):
        links = [
            (_first_field_id(form.forms[0]) if form.forms else "", str(e))
            for e in form.non_form_errors()
        ]
        for sub in form.forms:
            links.extend(error_links(sub))
        return links
    links = [(_first_field_id(form), str(error)) for error in form.non_field_errors()]
    for field in form:
        if not field.is_hidden:
            links.extend((_anchor(field), str(error)) for error in field.errors)
    return links


def _anchor(field) -> str:
    """The id of the input a field's error links to: a date input's first wrong part."""
    if isinstance(field.field.widget, forms.MultiWidget):
        return f"{field.auto_id}_{getattr(field.field, 'error_part', None) or 0}"
    return field.id_for_label or field.auto_id


def _first_field_id(form) -> str:
    visible = [field for field in form if not field.is_hidden]
    return _anchor(visible[0]) if visible else "main-content"


TAG_COLOURS = {
    "danger": "red",
    "warning": "yellow",
    "info": "blue",
    "primary": "blue",
    "success": "green",
    "secondary": "grey",
    "light": "grey",
    "": "grey",
}


@register.filter
def tag_colour(level) -> str:
    """The GOV.UK tag modifier for an urgency level ("danger" -> "govuk-tag--red")."""
    return f"govuk-tag--{TAG_COLOURS.get(str(level or ''), 'grey')}"


@register.filter
def page_range(paginator, current) -> list:
    """Page numbers to link, GOV.UK style: first, last, and one either side of the current page,
    with None where numbers are left out (an ellipsis)."""
    pages = paginator.get_elided_page_range(current, on_each_side=1, on_ends=1)
    return [None if page == paginator.ELLIPSIS else page for page in pages]


@register.simple_tag(takes_context=True)
def page_query(context, number) -> str:
    """This page's query string with `page` set to `number` (filters and sort kept)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query["page"] = str(number)
    return query.urlencode()


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, listing, key: str, label: str, numeric: bool = False) -> dict:
    """A table header that sorts the list by `key` (sli_portal/listing.py): a link that sorts
    ascending, or descending when the list is already sorted ascending by it; `aria-sort` says
    how the list is sorted now. Filters are kept; the page goes back to the first."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop("page", None)
    current = listing.sort.removeprefix("-") == key
    descending = listing.sort.startswith("-")
    state = ("descending" if descending else "ascending") if current else "none"
    query["sort"] = f"-{key}" if current and not descending else key
    return {
        "label": label,
        "href": "?" + query.urlencode(),
        "state": state,
        "sortable": key in listing.keys,
        "numeric": numeric,
        "next": "descending" if current and not descending else "ascending",
    }
