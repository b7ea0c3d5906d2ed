"""REST endpoints. Scoped exactly like the pages: every queryset starts from visible_to(request.user)."""

from typing import Any

ROUTES: list[tuple[str, Any, str]] = []
