"""Who is calling the API: a bearer token, or the browser's logged-in session.

Every route needs one of them; without either the answer is 401. The token comes first, so
a script that sends `Authorization: Bearer …` is never asked for a CSRF token even when a
session cookie travels along. The session is for the /api/docs page in the browser and is
CSRF-checked on writes (the docs page sends the token by itself).

Tokens are not counted by the login lockout (django-axes): a token is 256 random bits, not a
password, so guessing one is hopeless, and no API route takes a password, so the API cannot
be used to try passwords past the lockout. A wrong token is simply 401.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from ninja.security import HttpBearer, SessionAuth

from dangjian.accounts import tokens


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = tokens.authenticate(token)
        if user is None:
            return None
        # Views and permission checks read request.user whichever way the caller came in.
        request.user = user
        return user


class LoggedInSession(SessionAuth):
    """Django's session; CSRF is only checked when there is a logged-in user to protect.

    Without this, an anonymous POST would be told "CSRF check Failed" (403) instead of the
    401 every other anonymous request gets.
    """

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [TokenAuth(), LoggedInSession()]


def docs_access(view):
    """/api/docs and /api/openapi.json for everyone, or only for logged-in users when
    settings.DANGJIAN["API_DOCS_LOGIN"] (DANGJIAN_API_DOCS_LOGIN=1) says so."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if settings.DANGJIAN.get("API_DOCS_LOGIN") and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return guarded
