"""Three published regional updates of the demo region, built the way a programme manager
would: "Start this quarter's update" (composed from the portal as of three past dates), a
paragraph written by hand on top (from the seeds' South West updates), tags, publish. Also the
region's public pages: on, noindex, the plan summary and the programme manager's contact (the
demo person agreed). Runs after every other app's demo builder, so their sections are real.
Idempotent: a region that already has updates is left alone."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sli_portal.demo import DemoContext

from ..models import Update
from ..services import subscriptions, updates

# (days before today the update covers up to, title, the paragraph written by hand, tags)
DEMO_UPDATES = [
    (
        150,
        "South West Regional Update: the plan agreed",
        "## Regional Strategic Improvement Plan\n\nA three-year strategic improvement plan has "
        "now been agreed. It sets out the ambition for sector-led improvement in the South West, "
        "developed with the LGA and the lead member and chief executive networks.",
        ["SLI", "SOUTH WEST", "PLAN"],
    ),
    (
        75,
        "South West Regional Update: summit and data",
        "## Regional data benchmarking\n\nThe benchmarking system now shares annual and "
        "quarterly in-year data, with the performance leads' group taking the lead for the "
        "region. The analysis will be presented to the SLI group twice a year.",
        ["SLI", "SOUTH WEST", "DATA"],
    ),
    (
        21,
        "South West Regional Update: peer challenge",
        "## Self-assessment peer challenge\n\nAll the region's local authorities will work in "
        "triads on their self-assessment position. The challenge day will identify any further "
        "regional priorities for next year.",
        ["SLI", "SOUTH WEST", "PEER CHALLENGE"],
    ),
]


@transaction.atomic
def build(demo: DemoContext) -> None:
    region = demo.region
    pm = demo.users["programme_manager"]
    subscriptions.public_profile_save(
        actor=pm,
        region=region,
        is_enabled=True,
        noindex=True,
        introduction="The South West's sixteen local authorities improve children's services "
        "together: self-assessment, peer challenge, shared priorities, summits and data.",
        publish_plan_summary=True,
        show_contact=True,
        contact_name=getattr(pm, "full_name", ""),
        contact_role="SLI programme manager",
        contact_email=pm.email,
        contact_phone="",
    )
    if Update.objects.filter(region=region).exists():
        return
    today = timezone.now()
    for days_ago, title, written, tags in DEMO_UPDATES:
        when = today - timedelta(days=days_ago)
        draft = updates.update_start(actor=pm, region=region, now=when)
        updates.update_save(
            actor=pm,
            update=draft,
            title=title,
            summary=draft.summary,
            body=f"{written}\n\n{draft.body}",
            tags=tags,
            is_public=True,
            publish_date=when.date(),
        )
        published = updates.update_publish(actor=pm, update=draft, publish_date=when.date())
        Update.objects.filter(pk=published.pk).update(published_at=when)
    demo.log.append(
        f"Regional updates: three published for {region}, public pages at /public/{region.slug}/."
    )
