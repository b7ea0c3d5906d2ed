"""Store a digest of each invitation's secret instead of the secret itself."""

import hashlib

from django.db import migrations, models


def digest_existing_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    Invitation = apps.get_model("accounts", "Invitation")
    for invitation in Invitation.objects.all():
        invitation.token_digest = hashlib.sha256(invitation.token.encode()).hexdigest()
        invitation.save(update_fields=["token_digest"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="token_digest",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(digest_existing_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="invitation", name="token"),
        migrations.AlterField(
            model_name="invitation",
            name="token_digest",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
