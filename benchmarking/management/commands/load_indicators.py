from django.core.management.base import BaseCommand

from benchmarking import services
from sli_portal.access import SYSTEM


class Command(BaseCommand):
    help = "Load or update the shipped benchmarking indicators and validation rules. Safe to rerun."

    def handle(self, *args, **options):
        report = services.indicators_load(actor=SYSTEM)
        self.stdout.write(
            f"Indicators: {report.created} created, {report.updated} updated."
            if report.changed
            else "Indicators already up to date: nothing changed."
        )
