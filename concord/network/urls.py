from django.urls import path

from concord.network import views

app_name = "network"
urlpatterns = [
    path("organisations/", views.placeholder, name="organisation-list"),
    path("organisations/<int:pk>/", views.placeholder, name="organisation-detail"),
    path("directory/", views.placeholder, name="directory"),
    path("groups/", views.placeholder, name="group-list"),
    path("groups/<int:pk>/", views.placeholder, name="group-detail"),
    path("map/", views.placeholder, name="map"),
]
