"""The protection pages, one module per subject, all under the `cases` namespace."""

from concord.cases.urls import cases, records, referrals, screening

app_name = "cases"
urlpatterns = [*cases.urlpatterns, *records.urlpatterns, *referrals.urlpatterns, *screening.urlpatterns]
