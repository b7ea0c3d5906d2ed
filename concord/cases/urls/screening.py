"""URL patterns of the screening pages (included by cases/urls/__init__.py).

Patterns pointing at `not_built` are placeholders for pages still to come; they answer 404.
"""

from django.urls import path

from concord.cases.views.common import not_built

urlpatterns = [
    path("screenings/", not_built, name="screenings"),
    path("screenings/new/<slug:tool>/", not_built, name="screening_new"),
    path("screenings/<int:pk>/", not_built, name="screening"),
    path("screenings/<int:pk>/open-case/", not_built, name="screening_open_case"),
]
