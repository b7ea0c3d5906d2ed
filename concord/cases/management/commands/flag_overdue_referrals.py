"""Tell the side that must act about overdue referrals: run it every few minutes (cron or a timer).
Idempotent: each referral is flagged once per state."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from concord.cases.services.referrals import flag_overdue


class Command(BaseCommand):
    help = "Notify about referrals past their deadline (once per referral and state)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = flag_overdue()
        self.stdout.write(f"{count} overdue referral(s) flagged.")
