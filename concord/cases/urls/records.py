"""URL patterns of the records pages (included by cases/urls/__init__.py): the events, services, support
plan, proceedings, documents and notes tabs of a case (cases/views/records.py)."""

from django.urls import path

from concord.cases.views import records as views

urlpatterns = [
    path("<casecode:code>/events/", views.events, name="events"),
    path("<casecode:code>/events/add/", views.event_add, name="event_add"),
    path("<casecode:code>/services/", views.services_delivered, name="services"),
    path("<casecode:code>/services/add/", views.service_add, name="service_add"),
    path("<casecode:code>/support-plan/", views.support_plan, name="support_plan"),
    path("<casecode:code>/support-plan/add/", views.support_plan_add, name="support_plan_add"),
    path("<casecode:code>/support-plan/<int:pk>/edit/", views.support_plan_edit, name="support_plan_edit"),
    path("<casecode:code>/proceedings/", views.proceedings, name="proceedings"),
    path("<casecode:code>/proceedings/add/", views.proceeding_add, name="proceeding_add"),
    path("<casecode:code>/proceedings/<int:pk>/edit/", views.proceeding_edit, name="proceeding_edit"),
    path("<casecode:code>/documents/", views.documents_list, name="documents"),
    path("<casecode:code>/documents/upload/", views.document_upload, name="document_upload"),
    path("<casecode:code>/documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("<casecode:code>/notes/", views.notes, name="notes"),
    path("<casecode:code>/notes/add/", views.note_add, name="note_add"),
]
