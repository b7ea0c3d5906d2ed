"""manage.py seed_demo [--reset]: load the demo network (see concord/demo/) and print its sign-ins."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from concord.accounts.models import User
from concord.demo.loader import DemoRefusedError, demo_is_loaded, load_demo_network, wipe_demo_network
from concord.demo.people import DEFAULT_PASSWORD, demo_password, sign_ins


class Command(BaseCommand):
    help = (
        "Load the demo network: six Western Balkan countries, about forty organisations, their groups, "
        "meetings, tasks and action plans, and a user for every role. Does nothing if it is already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Wipe the demo network and load it afresh (only in a database holding nothing else).",
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        started = time.monotonic()
        try:
            if reset:
                wipe_demo_network()
                self.stdout.write("The demo network was wiped.")
            elif demo_is_loaded():
                self.stdout.write("The demo network is already loaded; nothing changed (--reset reloads it).")
                self.print_sign_ins(loaded_now=False)
                return
            counts = load_demo_network()
        except DemoRefusedError as refusal:
            raise CommandError(str(refusal)) from refusal
        summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo network in {time.monotonic() - started:.1f} s:")
        )
        self.stdout.write(f"  {summary}.")
        self.print_sign_ins(loaded_now=True)

    def print_sign_ins(self, *, loaded_now: bool) -> None:
        password = demo_password()
        shown = password
        if not loaded_now:
            admin = User.objects.filter(email=sign_ins()[0].email).first()
            if admin is None or not admin.check_password(password):
                shown = "(the one set when the demo was loaded)"
        rows = [("E-mail", "Role", "Organisation", "Two-factor")] + [
            (row.email, row.role, row.organisation, "yes" if row.two_factor else "no") for row in sign_ins()
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (all with the same password):")
        for number, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())
            if number == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        self.stdout.write("")
        self.stdout.write(f"Password: {shown}")
        if shown == DEFAULT_PASSWORD:
            self.stdout.write("  (the default; set CONCORD_DEMO_PASSWORD before loading to choose another)")
        self.stdout.write("Two-factor code: make demo-code EMAIL=...   (manage.py demo_code EMAIL)")
        self.stdout.write("API token:       make demo-token EMAIL=...  (manage.py api_token EMAIL)")
