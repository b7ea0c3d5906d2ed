from django.urls import path

from concord.coordination import views

app_name = "coordination"
urlpatterns = [
    path("tasks/", views.placeholder, name="our-tasks"),
    path("tasks/<int:pk>/", views.placeholder, name="task-detail"),
    path("meetings/<int:pk>/", views.placeholder, name="meeting-detail"),
    path("plans/", views.placeholder, name="plan-list"),
    path("plans/<int:pk>/", views.placeholder, name="plan-detail"),
]
