"""Sessions end after a working day without a request (settings.SESSION_COOKIE_AGE).

Django renews a session's expiry only when the session is written. Writing it on every
request (SESSION_SAVE_EVERY_REQUEST) would cost a database write per page, and SQLite has
one writer; instead a logged-in session is written again when its last renewal is older than
settings.SESSION_RENEW_EVERY, so it lasts SESSION_COOKIE_AGE after the last request, give or
take that interval.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

RENEWED_KEY = "dangjian_renewed"


@receiver(user_logged_in)
def _renewed_at_login(sender, request, user, **kwargs):
    # The login writes the session anyway; the next request need not write it again.
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_KEY] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            now = int(time.time())
            renewed = session.get(RENEWED_KEY) or 0
            if now - renewed >= settings.SESSION_RENEW_EVERY.total_seconds():
                session[RENEWED_KEY] = now
        return response
