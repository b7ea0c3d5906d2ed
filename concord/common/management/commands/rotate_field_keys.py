"""Re-encrypt every encrypted column under the newest key in FIELD_ENCRYPTION_KEYS.

Procedure (docs/architecture.md, "Encryption at rest"): put the new key first, keep the old ones after it,
run this command, then remove the old keys. Safe to run again: a token already under the newest key is
simply encrypted afresh.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from concord.common.encryption import UndecryptableValueError, rotate_all


class Command(BaseCommand):
    help = "Re-encrypt every EncryptedTextField value (history included) under the newest key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Decrypt and re-encrypt in memory only.")

    def handle(self, *args: Any, batch_size: int, dry_run: bool, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        verb = "would rotate" if dry_run else "rotated"
        total = 0
        try:
            for count in rotate_all(batch_size=batch_size, dry_run=dry_run):
                total += count.rotated
                line = f"{count.model}.{count.field}: {verb} {count.rotated}"
                if count.changed_meanwhile:
                    line += f", {count.changed_meanwhile} changed meanwhile (already under the newest key)"
                self.stdout.write(line)
        except UndecryptableValueError as error:
            raise CommandError(
                f"{error} Earlier batches are done; fix the keys and run the command again."
            ) from error
        self.stdout.write(f"{verb.capitalize()} {total} value(s) in all.")
