"""URL patterns of the records pages (included by cases/urls/__init__.py).

Patterns pointing at `not_built` are placeholders for pages still to come; they answer 404.
"""

from django.urls import path

from concord.cases.views.common import not_built

urlpatterns = [
    path("<casecode:code>/events/", not_built, name="events"),
    path("<casecode:code>/events/add/", not_built, name="event_add"),
    path("<casecode:code>/services/", not_built, name="services"),
    path("<casecode:code>/services/add/", not_built, name="service_add"),
    path("<casecode:code>/support-plan/", not_built, name="support_plan"),
    path("<casecode:code>/support-plan/add/", not_built, name="support_plan_add"),
    path("<casecode:code>/support-plan/<int:pk>/edit/", not_built, name="support_plan_edit"),
    path("<casecode:code>/proceedings/", not_built, name="proceedings"),
    path("<casecode:code>/proceedings/add/", not_built, name="proceeding_add"),
    path("<casecode:code>/proceedings/<int:pk>/edit/", not_built, name="proceeding_edit"),
    path("<casecode:code>/documents/", not_built, name="documents"),
    path("<casecode:code>/documents/upload/", not_built, name="document_upload"),
    path("<casecode:code>/documents/<int:pk>/download/", not_built, name="document_download"),
    path("<casecode:code>/notes/", not_built, name="notes"),
    path("<casecode:code>/notes/add/", not_built, name="note_add"),
]
