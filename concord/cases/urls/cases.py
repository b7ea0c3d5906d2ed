"""URL patterns of the case pages (included by cases/urls/__init__.py)."""

from django.urls import path

from concord.cases.views import cases as views

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<casecode:code>/", views.case_detail, name="detail"),
    path("<casecode:code>/edit/", views.case_edit, name="edit"),
    path("<casecode:code>/identity/", views.case_identity, name="identity"),
    path("<casecode:code>/identity/edit/", views.case_identity_edit, name="identity_edit"),
    path("<casecode:code>/status/", views.case_status, name="status"),
    path("<casecode:code>/assignments/", views.case_assign, name="assign"),
    path("<casecode:code>/assignments/<int:pk>/end/", views.case_unassign, name="unassign"),
    path("<casecode:code>/close/", views.case_close, name="close"),
    path("<casecode:code>/reopen/", views.case_reopen, name="reopen"),
    path("<casecode:code>/transfer/", views.case_transfer, name="transfer"),
    path("<casecode:code>/history/", views.case_history, name="history"),
    path("<casecode:code>/viewers/", views.case_viewers, name="viewers"),
]
