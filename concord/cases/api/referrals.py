"""REST endpoints of the referrals subject, scoped like the pages (see cases/api/__init__.py)."""

ROUTES: list = []
