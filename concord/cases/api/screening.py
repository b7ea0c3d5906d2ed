"""REST endpoints of the screening subject, scoped like the pages (see cases/api/__init__.py)."""

ROUTES: list = []
