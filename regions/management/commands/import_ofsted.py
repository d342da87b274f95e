from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from regions.services import ofsted
from sli_portal.access import SYSTEM


class Command(BaseCommand):
    help = (
        "Import Ofsted's ILACS inspection judgements (the 'Local authority inspection outcomes' "
        "ODS, OGL v3); default: the file shipped in regions/data. Safe to run again; a newer "
        "file adds its inspections and keeps the history."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=ofsted.OFSTED_FILE)

    def handle(self, *args, path, **options):
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        try:
            report = ofsted.ofsted_import(actor=SYSTEM, path=path)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        for line in report.lines():
            self.stdout.write(line)
