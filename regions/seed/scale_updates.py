"""England-scale regional updates for `make bench`: every region's public pages on, with 40
published updates over ten years, six shared tags and the plan summary (bulk, deterministic)."""

from datetime import timedelta

from django.utils import timezone

from sli_portal.scale import ScaleContext

from ..domain.markdown import render_markdown
from ..models import PublicProfile, Tag, Update, UpdateStatus

UPDATES_PER_REGION = 40
TAGS = ["SLI", "PLAN", "DATA", "PEER CHALLENGE", "SUMMIT", "WORKFORCE"]
BODY = (
    "## Regional improvement plan\n\n- Priority 1 moved from Amber to Green\n\n"
    "## Next summit\n\nEach LA has 4 delegate places.\n\n"
    "## Data\n\nThe tartan rug for the quarter: three LAs moved up a quartile.\n\n"
    "Source: [the plan](https://example.org/plan)"
)


def seed_updates(ctx: ScaleContext) -> None:
    tags = [
        Tag.objects.get_or_create(slug=name.lower().replace(" ", "-"), defaults={"name": name})[0]
        for name in TAGS
    ]
    html = render_markdown(BODY)
    now = timezone.now()
    PublicProfile.objects.bulk_create(
        [
            PublicProfile(
                region=region,
                is_enabled=True,
                noindex=True,
                publish_plan_summary=True,
                introduction=f"{region.name}: sector-led improvement for children's services.",
            )
            for region in ctx.regions
        ],
        ignore_conflicts=True,
    )
    updates = []
    for region in ctx.regions:
        for n in range(UPDATES_PER_REGION):
            when = now - timedelta(days=91 * n + 7)
            updates.append(
                Update(
                    region=region,
                    title=f"{region.name} regional update {UPDATES_PER_REGION - n}",
                    summary=f"News of sector-led improvement in {region.name}.",
                    body=BODY,
                    body_html=html,
                    status=UpdateStatus.PUBLISHED,
                    publish_date=when.date(),
                    published_at=when,
                    author=ctx.programme_managers.get(region.pk),
                )
            )
    updates = Update.objects.bulk_create(updates, batch_size=500)
    links = [
        Update.tags.through(update_id=update.pk, tag_id=tag.pk)
        for i, update in enumerate(updates)
        for tag in (tags[0], tags[1 + i % (len(tags) - 1)], tags[1 + (i + 2) % (len(tags) - 1)])
    ]
    Update.tags.through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
