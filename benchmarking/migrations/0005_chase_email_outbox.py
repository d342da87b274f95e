"""Chase emails become rows of the portal's outbox (``sli_portal.outbox.OutboxMessage``): a
status, the attempts made, when a worker claimed the row and why a row was not sent. Rows already sent are marked sent; the
others pending (the outbox sweep sends them if they still apply)."""

from django.db import migrations, models


def set_status(apps, schema_editor):
    ChaseEmail = apps.get_model("benchmarking", "ChaseEmail")
    ChaseEmail.objects.filter(sent_at__isnull=False).update(status="sent")
    ChaseEmail.objects.filter(sent_at__isnull=True).update(status="pending")


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarking", "0004_value_change_touches_return"),
    ]

    operations = [
        migrations.AddField(
            model_name="chaseemail",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="chaseemail",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="chaseemail",
            name="skipped_reason",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="chaseemail",
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
            model_name="chaseemail",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["created_at"],
                name="chase_pending_idx",
            ),
        ),
    ]
