"""REST endpoints of the records subject, scoped like the pages (see cases/api/__init__.py)."""

ROUTES: list = []
