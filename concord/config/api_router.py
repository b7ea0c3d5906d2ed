"""The one REST router. Each app's api.py defines its viewsets; they are registered here."""

from rest_framework.routers import DefaultRouter

from concord.accounts import api as accounts_api
from concord.cases import api as cases_api
from concord.coordination import api as coordination_api
from concord.network import api as network_api

router = DefaultRouter()
for prefix, viewset, basename in [
    *network_api.ROUTES,
    *coordination_api.ROUTES,
    *accounts_api.ROUTES,
    *cases_api.ROUTES,
]:
    router.register(prefix, viewset, basename=basename)
