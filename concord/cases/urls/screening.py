"""URL patterns of the screening pages (included by cases/urls/__init__.py)."""

from django.urls import path

from concord.cases.views import screening

urlpatterns = [
    path("screenings/", screening.screening_list, name="screenings"),
    path("screenings/new/<slug:tool>/", screening.screening_new, name="screening_new"),
    path("screenings/<int:pk>/", screening.screening_detail, name="screening"),
    path("screenings/<int:pk>/open-case/", screening.screening_open_case, name="screening_open_case"),
]
