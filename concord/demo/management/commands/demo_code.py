"""manage.py demo_code EMAIL: the current two-factor code of a demo user (never of anyone else)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from concord.demo.marks import current_totp_code, get_demo_user


class Command(BaseCommand):
    help = "Print the current six-digit sign-in code of a demo user (addresses at demo.concord.example only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        self.stdout.write(current_totp_code(get_demo_user(email)))
