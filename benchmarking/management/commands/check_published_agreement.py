from django.core.management.base import BaseCommand

from benchmarking.domain.published import published_files_default
from benchmarking.selectors.published_agreement import agreement, agreement_lines


class Command(BaseCommand):
    help = (
        "Compare the England and regional figures the portal's annual reports show with the "
        "national and regional rows of the shipped DfE files (run after import_published_data)."
    )

    def handle(self, *args, **options):
        for line in agreement_lines(agreement(published_files_default())):
            self.stdout.write(line)
