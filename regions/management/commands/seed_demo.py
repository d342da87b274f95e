from django.core.management.base import BaseCommand
from django.db import transaction

from regions import demo as regions_demo
from sli_portal import demo


class Command(BaseCommand):
    help = "Build the demo South West region on the real LAs, with a user per role. Safe to re-run."

    @transaction.atomic
    def handle(self, *args, **options):
        context = regions_demo.build_people()
        for builder in demo.builders():
            builder(context)
        for line in context.log:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Demo region: {context.region} (home LA {context.home_la}).")
        )
        self.stdout.write(
            f"Sign in at http://127.0.0.1:8000/ with password: {regions_demo.DEMO_PASSWORD}"
        )
        for persona, user in context.users.items():
            self.stdout.write(f"  {persona.replace('_', ' '):<18} {user.email}")
