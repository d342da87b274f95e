"""Reads for the inbox and the header: only the person's own notifications."""

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Value, When

from accounts.models import User

from .cache import cached_unread, remember_unread
from .models import Delivery, Notification, NotificationPreference

INBOX_PAGE_SIZE = 50


def unread_count(*, user: User, fresh: bool = False) -> int:
    """The header's number: cached per person (see notifications/cache.py for how it is kept
    right); on a miss, or `fresh` (the inbox itself), one count over the partial index of
    unread rows, stored for the next page."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return 0
    count = None if fresh else cached_unread(user.pk)
    if count is None:
        count = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
        remember_unread(user.pk, count)
    return count


def unread_rows_sql(connection) -> str:
    """The person's unread notifications (`%s`: their id) as SQL, counted in the query that reads
    each signed-in request's session and user (sli_portal.sessions.read_with_session), over the
    same partial index as `unread_count`."""
    quote = connection.ops.quote_name
    recipient = Notification._meta.get_field("recipient").column
    read_at = Notification._meta.get_field("read_at").column
    return (
        f"SELECT 1 FROM {quote(Notification._meta.db_table)} "
        f"WHERE {quote(recipient)} = %s AND {quote(read_at)} IS NULL"
    )


def inbox_page(*, user: User, page: int | str | None = 1) -> Page:
    """The person's notifications, unread first, newest first within each; 50 a page."""
    rows = (
        Notification.objects.filter(recipient_id=user.pk)
        .annotate(
            unread_first=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .only("pk", "kind", "text", "url", "created_at", "read_at", "recipient_id")
        .order_by("unread_first", "-created_at", "-pk")
    )
    return Paginator(rows, INBOX_PAGE_SIZE).get_page(page)


def delivery_of(*, user: User) -> str:
    preference = NotificationPreference.objects.filter(user_id=user.pk).first()
    return preference.delivery if preference else Delivery.IMMEDIATELY
