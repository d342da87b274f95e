import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import User
from sli_portal import scale


class Command(BaseCommand):
    help = (
        "Build England-scale data for benchmarks (factor 1 = England: 9 regions, 153 LAs, users "
        "for every role, and each app's data). Needs an empty database apart from reference data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=1)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, factor, seed, **options):
        if factor < 1:
            raise CommandError("--factor must be 1 or more.")
        if User.objects.filter(email__endswith="@scale.sli-portal.local").exists():
            raise CommandError(
                "Scale data is already here: use a fresh database (make bench does)."
            )
        ctx = scale.ScaleContext(factor=factor, random=random.Random(seed))
        started = time.perf_counter()
        with transaction.atomic():
            for seeder in scale.seeders():
                step = time.perf_counter()
                seeder(ctx)
                ctx.timings[seeder.__module__] = time.perf_counter() - step
        if connection.vendor == "postgresql":
            # Planner statistics, as a live database has (autovacuum would gather them later):
            # without them every bulk-loaded table looks empty and plans are unrealistic.
            step = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            ctx.timings["ANALYZE"] = time.perf_counter() - step
        for name, seconds in ctx.timings.items():
            self.stdout.write(f"  {name:<28} {seconds:6.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data (factor {factor}) built in {time.perf_counter() - started:.1f} s."
            )
        )
