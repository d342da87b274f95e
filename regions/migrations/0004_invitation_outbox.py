"""Invitations become outbox rows (sli_portal.outbox): status, attempts, claim, skipped reason.

Existing rows take their status from the old columns: sent_at set -> sent; else pending (the
outbox sweep then sends it, or skips it if it was accepted, withdrawn or expired meanwhile).
"""

from django.db import migrations, models


def status_from_old_columns(apps, schema_editor):
    Invitation = apps.get_model("regions", "Invitation")
    Invitation.objects.filter(sent_at__isnull=False).update(status="sent")
    Invitation.objects.filter(sent_at__isnull=True).exclude(skipped_reason="").update(
        status="skipped"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0003_candidate_priorities"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="invitation",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="skipped_reason",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="invitation",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "To send"),
                    ("sending", "Being sent"),
                    ("sent", "Sent"),
                    ("skipped", "Not sent"),
                ],
                default="pending",
                max_length=10,
            ),
        ),
        migrations.RunPython(status_from_old_columns, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["created_at"],
                name="regions_invitation_pending",
            ),
        ),
    ]
