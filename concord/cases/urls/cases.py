"""URL patterns of the cases pages (included by cases/urls/__init__.py).

Patterns pointing at `not_built` are placeholders for pages still to come; they answer 404.
"""

from django.urls import path

from concord.cases.views.common import not_built

urlpatterns = [
    path("", not_built, name="list"),
    path("new/", not_built, name="create"),
    path("<casecode:code>/", not_built, name="detail"),
    path("<casecode:code>/edit/", not_built, name="edit"),
    path("<casecode:code>/identity/", not_built, name="identity"),
    path("<casecode:code>/identity/edit/", not_built, name="identity_edit"),
    path("<casecode:code>/status/", not_built, name="status"),
    path("<casecode:code>/assignments/", not_built, name="assign"),
    path("<casecode:code>/assignments/<int:pk>/end/", not_built, name="unassign"),
    path("<casecode:code>/close/", not_built, name="close"),
    path("<casecode:code>/reopen/", not_built, name="reopen"),
    path("<casecode:code>/transfer/", not_built, name="transfer"),
    path("<casecode:code>/history/", not_built, name="history"),
    path("<casecode:code>/viewers/", not_built, name="viewers"),
]
