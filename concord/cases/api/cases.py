"""REST endpoints of the cases subject, scoped like the pages (see cases/api/__init__.py)."""

ROUTES: list = []
