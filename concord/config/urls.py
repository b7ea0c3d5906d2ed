import os

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from concord.accounts import views as accounts_views
from concord.config import views
from concord.config.api_router import router

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before allauth's own e-mail management, which would let anyone add a sign-in address.
    path("accounts/email/", accounts_views.email_managed, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("team/", include("concord.accounts.urls")),
    path("network/", include("concord.network.urls")),
    path("coordination/", include("concord.coordination.urls")),
    path("cases/", include("concord.cases.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: our CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG or getattr(settings, "CONCORD_ADMIN_ENABLED", False):
    urlpatterns.append(path("admin/", admin.site.urls))

if os.environ.get("CONCORD_BENCH") == "1":
    # Load tests only (bench/cases_load.py): the bare view the pages are compared with.
    from concord.config.bench_views import bare

    urlpatterns.append(path("bench/bare", bare, name="bench-bare"))
