"""manage.py api_token EMAIL: a REST API token for a demo user (never for anyone else)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rest_framework.authtoken.models import Token

from concord.demo.marks import get_demo_user


class Command(BaseCommand):
    help = (
        "Print the API token of a demo user, creating it if needed (addresses at demo.concord.example only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        token, _created = Token.objects.get_or_create(user=get_demo_user(email))
        self.stdout.write(token.key)
