"""Who may do what with notifications: each person reads and marks only their own; any
signed-in service may record one (the sender's own service has checked its permission); the
daily digest is the portal's own job."""

import rules


@rules.predicate
def is_recipient(user, notification):
    return notification is not None and notification.recipient_id == user.pk


rules.add_perm("notifications.notify", rules.is_authenticated)
rules.add_perm("notifications.use_inbox", rules.is_authenticated)
rules.add_perm("notifications.view_notification", is_recipient)
rules.add_perm("notifications.change_notification", is_recipient)
rules.add_perm("notifications.run_jobs", rules.always_deny)
