from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from concord.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind @login_required: its user is a real User (and django-htmx's
    middleware has added `htmx`)."""

    user: User
    htmx: HtmxDetails
