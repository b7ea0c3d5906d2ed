"""What every case page starts with: the case fetched through `visible_to` (404 otherwise) and the
user's access to it. Tab pages extend `cases/case_base.html`, which draws the header and the tabs the
user may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest

from concord.cases.access import CaseAccess, case_access
from concord.cases.models import Case


@dataclass(frozen=True)
class CaseContext:
    case: Case
    access: CaseAccess


def get_case(request: HttpRequest, code: str) -> CaseContext:
    """The case with `code` if the user may open it; 404 for "not allowed" and "does not exist" alike."""
    case = Case.objects.visible_to(request.user).select_related("owner", "region").filter(code=code).first()
    if case is None:
        raise Http404
    return CaseContext(case=case, access=case_access(request.user, case))
