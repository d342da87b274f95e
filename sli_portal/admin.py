"""Django admin pieces shared by the apps."""


class ReadOnlyAdminMixin:
    """A table the portal writes and the admin only shows: no add, no change, no delete.

    For records of what happened (returns' values, uploads) and outbox rows (notices, chases,
    invitations): a row added in the admin would skip the service that checks, records history and
    queues the email (an outbox row with every field read-only could not even be saved), and
    deleting one would erase the proof an email went out (or let it go out twice)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
