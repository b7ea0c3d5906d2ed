"""API-wide behaviour shared by every endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from concord.common.concurrency import StaleVersionError

if TYPE_CHECKING:
    from concord.accounts.models import User


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with one rule made explicit: a missing object and a forbidden one answer alike."""
    if isinstance(exc, Http404):
        return Response({"detail": "Not found."}, status=404)
    if isinstance(exc, StaleVersionError):
        return Response({"detail": str(StaleVersionError.message), "code": "stale_version"}, status=409)
    return drf_exception_handler(exc, context)


def api_user(request: Request) -> User:
    """The signed-in user of an API request (the default permission lets no one else this far)."""
    return cast("User", request.user)


@contextmanager
def as_api_errors() -> Iterator[None]:
    """A service's refusal of the data (a Django ValidationError) answers 400 with the same messages."""
    try:
        yield
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        raise serializers.ValidationError(detail) from error
