from django.core.management.base import BaseCommand

from regions.services import geography as services
from regions.services import ofsted
from sli_portal.access import SYSTEM


class Command(BaseCommand):
    help = (
        "Load or update England's 9 regions, 153 LAs and DfE 2025 statistical neighbours from "
        "the files shipped in regions/data (OGL v3, DfE/ONS), and Ofsted's ILACS judgements. "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--la-file", default=str(services.LA_FILE))
        parser.add_argument("--neighbour-file", default=str(services.NEIGHBOUR_FILE))

    def handle(self, *args, la_file, neighbour_file, **options):
        from pathlib import Path

        report = services.reference_data_load(
            actor=SYSTEM, la_file=Path(la_file), neighbour_file=Path(neighbour_file)
        )
        for line in report.lines():
            self.stdout.write(line)
        # Ofsted's ILACS judgements (issue 13), matched to the LAs just loaded
        for line in ofsted.ofsted_import(actor=SYSTEM).lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS("Reference data updated.")
            if report.changed
            else "Reference data already up to date: nothing changed."
        )
