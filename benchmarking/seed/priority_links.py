"""Demo: the South West plan's priorities show the trend of their indicators.

Neglect -> children becoming the subject of a plan for a second or subsequent time, and
re-referrals; children in care -> the rate of children looked after and long-term placement
stability. Written through the services as the programme manager; linking twice keeps one link,
so running seed_demo again changes nothing."""

from benchmarking.models import Indicator
from benchmarking.services import priority_links as services
from regions.models import Priority
from regions.seed.demo import plan_title
from sli_portal.demo import DemoContext

LINKS = {
    "Preventing and tackling neglect": ["CPP_SUBSEQUENT_PCT", "REREF_PCT"],
    "Improving outcomes for children in care": ["CLA_RATE", "CLA_LONG_STABLE_PCT"],
}


def build(ctx: DemoContext) -> None:
    pm = ctx.users["programme_manager"]
    priorities = Priority.objects.filter(
        plan__region=ctx.region, plan__title=plan_title(), title__in=LINKS
    ).select_related("plan")
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(code__in=[c for codes in LINKS.values() for c in codes])
    }
    linked = 0
    for priority in priorities:
        for code in LINKS[priority.title]:
            if code in indicators:
                services.priority_indicator_link(
                    actor=pm, priority=priority, indicator=indicators[code]
                )
                linked += 1
    ctx.log.append(f"Priority indicators: {linked} links on the plan's priorities.")
