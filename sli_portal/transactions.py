"""Writes in one transaction per request; reads in none.

`ATOMIC_REQUESTS` wraps every view, reads included, in BEGIN ... COMMIT: two round trips to
PostgreSQL on every page for nothing. Django cannot choose by method (`non_atomic_requests` is per
view), so `ATOMIC_REQUESTS` is off and this middleware, the last in MIDDLEWARE so its
`process_view` runs just before the view, wraps the view of every unsafe request (POST, PUT,
PATCH, DELETE) in `transaction.atomic()` as `ATOMIC_REQUESTS` did: an exception rolls the whole
request back. A view marked `transaction.non_atomic_requests` is left alone, as before.

Reads (GET, HEAD, OPTIONS, TRACE) run in autocommit; anything they write goes through services,
which are `@transaction.atomic` themselves.
"""

from django.db import DEFAULT_DB_ALIAS, transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AtomicWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        if DEFAULT_DB_ALIAS in getattr(view_func, "_non_atomic_requests", set()):
            return None
        with transaction.atomic():
            response = view_func(request, *view_args, **view_kwargs)
        if response is None:  # returning None would make Django call the view a second time
            raise ValueError(f"The view {view_func.__qualname__} didn't return an HttpResponse.")
        return response
