from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def registration_status(event) -> str:
    """Registration as it stands today, in words (never "Open" for a cancelled event)."""
    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    now = timezone.now()
    status = event.status
    if status == "cancelled":
        return "Closed: the event is cancelled."
    if status == "postponed":
        return "Closed until the event has a new date."
    if status == "draft":
        return "Not open: the event is a draft."
    if event.starts_at <= now:
        return "Closed: the event has started."

    def when(moment):
        return date_format(timezone.localtime(moment), "j F Y, H:i")

    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and now < opens:
        return f"Opens {when(opens)}" + (f", closes {when(closes)}." if closes else ".")
    if closes and closes <= now:
        return f"Closed on {when(closes)}."
    if closes:
        return f"Open until {when(closes)}."
    return "Open until the event starts."
