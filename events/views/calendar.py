"""Downloads: iCalendar files, the personal feed, and CSV/XLSX exports."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from .. import calendar, exports
from ..selectors.calendar import personal_calendar
from ..selectors.guests import event_guests
from ..selectors.registrations import event_delegates
from ._common import event_for, managed_event

_FEED_SALT = "events.personal-feed"


@login_required
def export(request, pk, what, fmt):
    event = managed_event(request, pk)
    if what not in exports.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404("No such export.")
    title, build = exports.EXPORTS[what]
    header, rows = build(event_delegates(event=event), event_guests(event=event))
    filename = f"event-{event.pk}-{what}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            exports.to_csv(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.to_xlsx(title, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def event_ics(request, pk):
    event = event_for(request, pk)
    body = calendar.calendar_bytes([(event, False)], name=event.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def feed_token(user) -> str:
    return signing.Signer(salt=_FEED_SALT).sign(str(user.pk))


def personal_feed(request, token):
    """A calendar app subscribes with this secret link (it cannot sign in)."""
    try:
        user_pk = signing.Signer(salt=_FEED_SALT).unsign(token)
    except signing.BadSignature:
        raise Http404("No such calendar.") from None
    user = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    body = calendar.calendar_bytes(personal_calendar(user), name="My SLI events")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
