"""The floor for load tests: a view that answers without a database query or a template.

Mounted at /bench/bare only when the environment sets CONCORD_BENCH=1 (bench/cases_load.py does); the
middleware still runs, so a signed-in request still loads its session and user."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")
