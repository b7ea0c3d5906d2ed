"""API-wide behaviour shared by every endpoint."""

from typing import Any

from django.http import Http404
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from concord.common.concurrency import StaleVersionError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with one rule made explicit: a missing object and a forbidden one answer alike."""
    if isinstance(exc, Http404):
        return Response({"detail": "Not found."}, status=404)
    if isinstance(exc, StaleVersionError):
        return Response({"detail": str(StaleVersionError.message), "code": "stale_version"}, status=409)
    return drf_exception_handler(exc, context)
