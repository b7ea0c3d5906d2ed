"""Anonymise the cases closed longer ago than CONCORD_CASE_RETENTION_DAYS (default 3650 days).

Identity fields, free text (notes, event descriptions, plans, referral details), documents and the
identity values kept in history rows are erased; the statistics fields stay. Each case is audited.
Run it daily (cron or systemd timer); `--dry-run` only counts."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from concord.cases.models import Case
from concord.cases.services.cases import anonymisable_cases, anonymise_case


class Command(BaseCommand):
    help = "Erase the identity of cases closed longer ago than the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count the cases, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.CONCORD_CASE_RETENTION_DAYS
        cases = anonymisable_cases()
        if options["dry_run"]:
            # Codes only: never a name in the output.
            count = cases.count()
            self.stdout.write(f"{count} case(s) closed more than {days} days ago would be anonymised.")
            return
        done = 0
        for pk in list(cases.values_list("pk", flat=True)):
            case = Case.objects.get(pk=pk)
            anonymise_case(case=case)
            done += 1
        self.stdout.write(f"{done} case(s) closed more than {days} days ago anonymised.")
