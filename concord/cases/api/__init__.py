"""The protection API, one module per subject."""

from concord.cases.api import cases, records, referrals, screening

ROUTES = [*cases.ROUTES, *records.ROUTES, *referrals.ROUTES, *screening.ROUTES]
