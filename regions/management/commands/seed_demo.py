from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from regions.seed import demo as regions_demo
from sli_portal import demo


class Command(BaseCommand):
    help = "Build the demo South West region on the real LAs, with a user per role. Safe to re-run."

    def handle(self, *args, **options):
        # The demo's own registrations and returns trigger emails: keep them off the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            context = self._build()
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

    @transaction.atomic
    def _build(self):
        context = regions_demo.build_people()
        for builder in demo.builders():
            builder(context)
        return context
