"""Helpers for the events views: what the user may reach, and form errors."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .. import selectors
from ..models import Delegate, Event


def _event_or_404(request, pk, *, programme: bool = True) -> Event:
    """The event the user may see (404 otherwise); with its programme and counts unless
    ``programme=False`` (three queries fewer for pages that do not show them)."""
    try:
        if programme:
            return selectors.event_detail(user=request.user, pk=pk)
        return selectors.event_plain(user=request.user, pk=pk)
    except Event.DoesNotExist:
        raise Http404("No such event.") from None


def _managed_event(request, pk, *, programme: bool = True) -> Event:
    event = _event_or_404(request, pk, programme=programme)
    if not request.user.has_perm("events.manage_event", event):
        raise PermissionDenied
    return event


def _delegate_or_404(request, pk) -> Delegate:
    try:
        delegate = selectors.delegate_for_change(user=request.user, pk=pk)
    except Delegate.DoesNotExist:
        raise Http404("No such delegate.") from None
    if not request.user.has_perm("events.change_delegate", delegate):
        raise PermissionDenied
    return delegate
