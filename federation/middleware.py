"""Request ids for the logs, the Permissions-Policy header, private pages, own writes."""

import contextvars
import logging
import re
import uuid

from django.conf import settings

from toolkit import aggregates

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# A request id given by the reverse proxy is kept if it looks like one.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID, or a new one), log it, return it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = getattr(record, "request_id", None) or _request_id.get()
        return True


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every answer to a logged-in person.

    Board members share computers: a page they saw must not be kept by the browser (back
    button after logging out) nor by a proxy. Static files never come here (whitenoise
    answers them earlier); public pages (login, health check) keep their own headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class OwnWritesMiddleware:
    """Remember when each person last wrote, so that the board's pages, recomputed at most every
    few seconds under load, never hide someone's own write from them (toolkit.aggregates.recent).

    A write is any request that is not a reading and was not refused; one that changed nothing
    (a form sent back with its errors) only makes that person's next board page a fresh one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in SAFE_METHODS and response.status_code < 400 and user and user.is_authenticated:
            aggregates.note_write(user.pk)
        return response
