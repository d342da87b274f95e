import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from benchmarking import services
from benchmarking.domain.published import DATA_DIR, published_paths
from sli_portal.access import SYSTEM


class Command(BaseCommand):
    help = (
        "Import DfE published LA figures (EES tidy CSV files: children in need B1/C1/D3/D5, "
        "looked after, placement stability, care leavers, workforce, ONS population) into the "
        "annual periods. PATH is a file or a folder; default: the files shipped in "
        "benchmarking/data. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args, paths, **options):
        started = time.monotonic()
        chosen = []
        for path in paths or [DATA_DIR]:
            if not path.exists():
                raise CommandError(f"{path} does not exist.")
            chosen.extend(published_paths(path))
        if not chosen:
            raise CommandError("No DfE statistics files found.")
        files = [(p.name, p.read_text(encoding="utf-8-sig")) for p in chosen]
        try:
            report = services.published_data_import(actor=SYSTEM, files=files)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
