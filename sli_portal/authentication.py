"""`request.user` from the user row read with the session (sli_portal.sessions): no query of its own.

Django's `AuthenticationMiddleware`, whose lazy user is Django's `auth.get_user` with one change:
when the session was read together with its user's row, `ModelBackend.get_user(user_id)` (a query)
is replaced by that row, under the same conditions (the session's backend is one of
AUTHENTICATION_BACKENDS and gets users as ModelBackend does; the row is the session's user; an
inactive user is no user). Everything after is Django's, step for step: the session's password
hash is checked against the row's (a password changed anywhere signs every other session out on
its next request), with the SECRET_KEY_FALLBACKS, and a session that fails is flushed. Any other
case goes to `auth.get_user` itself.
"""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, load_backend
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.contrib.auth.models import AnonymousUser
from django.utils.crypto import constant_time_compare


def get_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = _user_of(request)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """`request.user` is the user itself, not Django's lazy stand-in for it: every response asks
    whether its user is signed in (SecurityHeadersMiddleware), so it would be loaded anyway, and
    each use of the stand-in (a page asks for the user ~30 times) costs ~5 Python calls."""

    def process_request(self, request):
        super().process_request(request)
        request.user = get_user(request)


def _user_of(request):
    session = request.session
    try:
        user_id = session[auth.SESSION_KEY]  # loads the session (and its user's row)
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    read = getattr(session, "read_for_user", None)
    if (
        read is None
        or read[0] != str(user_id)
        or backend_path not in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user(request)
    backend = load_backend(backend_path)
    if not isinstance(backend, ModelBackend) or type(backend).get_user is not ModelBackend.get_user:
        return auth.get_user(request)
    # ModelBackend.get_user(user_id), from the row read with the session:
    user = read[1]
    if user is None or not backend.user_can_authenticate(user):
        return AnonymousUser()
    # The rest is django.contrib.auth.get_user's, unchanged: verify the session.
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash:
        session_hash_verified = False
    else:
        session_auth_hash = user.get_session_auth_hash()
        session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
    if not session_hash_verified:
        if session_hash and any(
            constant_time_compare(session_hash, fallback_auth_hash)
            for fallback_auth_hash in user.get_session_auth_fallback_hash()
        ):
            session.cycle_key()
            session[HASH_SESSION_KEY] = session_auth_hash
        else:
            session.flush()
            return AnonymousUser()
    return user
