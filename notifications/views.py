"""The inbox: list, open (marks read and goes to the thing), mark read, preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sli_portal import fragments
from sli_portal.access import fetch

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification


def _safe(url: str, request) -> str:
    ok = url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if ok else ""


@login_required
def inbox(request):
    """The person's notifications. The list is kept per person and page under the stamp of
    their notifications (`sli_portal.fragments`): a new one, or one marked read, shows on the
    next request; a repeat costs the frame and the stamp."""
    user = request.user
    body = fragments.Fragment(
        request,
        "notifications:inbox",
        lambda: [Notification.objects.filter(recipient_id=user.pk)],
        rows_key=(user.pk,),
    )
    context = {
        "body": body,
        "page": fragments.lazy(
            lambda: selectors.inbox_page(user=user, page=request.GET.get("page"))
        ),
        # Rendering the list counts afresh (and so corrects the header's cached number, should
        # it be off, from the next page on: the header is drawn before the list).
        "unread": fragments.lazy(lambda: selectors.unread_count(user=user, fresh=True)),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
def open_notification(request, pk: int):
    """Follow a notification: marked read, then on to the thing it is about."""
    notification = fetch(request.user, Notification, see="notifications.view_notification", pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(_safe(notification.url, request) or "notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = fetch(request.user, Notification, see="notifications.view_notification", pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    messages.success(request, f"Marked as read: {notification.text}")
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    marked = services.notifications_mark_all_read(actor=request.user)
    if marked:
        messages.success(
            request, f"Marked {marked} notification{'s' if marked != 1 else ''} as read."
        )
    else:
        messages.info(request, "Nothing was unread.")
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    form = PreferenceForm(
        request.POST or None, initial={"delivery": selectors.delivery_of(user=request.user)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(actor=request.user, delivery=form.cleaned_data["delivery"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("notifications:inbox")
    return render(request, "notifications/preferences.html", {"form": form})
