"""Peer challenge's notices become rows of the portal's one outbox (sli_portal/outbox.py):
a status (sent where sent_at is set, else pending), attempts, the claim time, a skipped
reason, and the outbox's partial index of pending rows."""

from django.db import migrations, models


def set_status(apps, schema_editor):
    Notice = apps.get_model("peer_challenge", "Notice")
    Notice.objects.filter(sent_at__isnull=False).update(status="sent")
    Notice.objects.filter(sent_at__isnull=True).update(status="pending")


class Migration(migrations.Migration):
    dependencies = [
        ("peer_challenge", "0003_finding_candidate_priority"),
    ]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="notice",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notice",
            name="skipped_reason",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="notice",
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
        migrations.RunPython(set_status, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["created_at"],
                name="peer_challenge_notice_pending",
            ),
        ),
    ]
