from django.urls import path

from concord.coordination import views

app_name = "coordination"
urlpatterns = [
    path("tasks/", views.our_tasks, name="our-tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task-progress"),
    path("tasks/people/", views.person_options, name="person-options"),
    path("groups/<int:group_pk>/meetings/", views.group_meetings, name="group-meetings"),
    path("groups/<int:group_pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("groups/<int:group_pk>/overdue/", views.group_overdue, name="group-overdue"),
    path("groups/<int:group_pk>/progress/", views.group_progress, name="group-progress"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/decisions/", views.decision_create, name="decision-create"),
    path("decisions/<int:pk>/tasks/new/", views.task_create_from_decision, name="decision-task-create"),
    path("activities/<int:pk>/tasks/new/", views.task_create_from_activity, name="activity-task-create"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
]
