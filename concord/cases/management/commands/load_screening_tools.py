"""Load the screening tool definitions (cases/screening_tools/*.json) into versioned `ScreeningTool` rows.

Run it after a deployment or after editing a definition; running it again changes nothing. A changed
definition becomes a new current version; screenings already made keep the version they used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from concord.cases.services.screening import load_screening_tools


class Command(BaseCommand):
    help = "Load the identification screening tools; a changed definition becomes a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, default=None, help="Folder of *.json definitions.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = load_screening_tools(options["directory"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        for item in loaded:
            state = "new version" if item.created else "unchanged"
            self.stdout.write(f"{item.tool.slug} v{item.tool.version}: {state}")
