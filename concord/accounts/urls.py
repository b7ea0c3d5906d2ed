from django.urls import path

from concord.accounts import views

app_name = "accounts"
urlpatterns = [
    path("members/", views.placeholder, name="members"),
    path("audit/", views.placeholder, name="audit"),
    path("api-token/", views.placeholder, name="api-token"),
]
