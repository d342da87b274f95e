"""Notice becomes an outbox row (sli_portal.outbox.OutboxMessage): a status (set from the old
columns), an attempt count and a claim time, and the partial index of rows to send now keyed on
the status."""

from django.db import migrations, models


def status_from_old_columns(apps, schema_editor):
    Notice = apps.get_model("events", "Notice")
    Notice.objects.filter(sent_at__isnull=False).update(status="sent")
    Notice.objects.filter(sent_at__isnull=True).exclude(skipped_reason="").update(
        status="skipped"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
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
        migrations.AddField(
            model_name="notice",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(status_from_old_columns, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="notice",
            name="notice_unsent_idx",
        ),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["created_at"],
                name="events_notice_pending",
            ),
        ),
    ]
