"""URL patterns of the cases pages (included by cases/urls/__init__.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
