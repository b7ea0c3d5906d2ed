"""The protection pages, one module per subject, all under the `cases` namespace."""

import concord.cases.converters  # noqa: F401  (registers `casecode` before the patterns use it)
from concord.cases.urls import cases, records, referrals, screening

app_name = "cases"
urlpatterns = [*referrals.urlpatterns, *screening.urlpatterns, *records.urlpatterns, *cases.urlpatterns]
