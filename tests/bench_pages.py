"""Every page `make bench` measures (bench/pages.py PAGES), as a page of the test world.

bench/pages.py finds its pages in the England-scale bench data (London, Somerset, the busiest
event); tests have the small shared world (tests/world.py) instead. So each bench page names the
case of the URL x persona matrix (tests/*/url_cases.py) that builds the same page here, the
persona it is requested as (the bench's user: a programme manager, an LA's DCS or performance
lead, or nobody for the public pages) and any query string the bench adds. A page added to
PAGES without an entry here fails tests/sli_portal/test_pages_without_redis.py and
tests/test_bench_queries.py until it has one.
"""

from dataclasses import dataclass

from django.urls import reverse

from bench.pages import PAGES
from tests.test_url_permissions import CASES
from tests.url_matrix import UrlCase


@dataclass(frozen=True)
class BenchPage:
    case_id: str  # UrlCase.id in the matrix
    persona: str  # tests/world.py; "anonymous" for the public pages
    query: str = ""  # added to the case's own; one starting with "?" replaces it

    @property
    def case(self) -> UrlCase:
        found = [case for case in CASES if case.id == self.case_id]
        assert found, f"no URL case is {self.case_id}"
        return found[0]  # (the matrix lists some of regions' cases twice: the same case)

    def url(self, world) -> str:
        case = self.case
        if self.query.startswith("?"):
            query = self.query
        elif self.query:
            query = case.query + ("&" if case.query else "?") + self.query
        else:
            query = case.query
        return reverse(case.name, kwargs=case.resolve_kwargs(world)) + query


PM, DCS, LEAD, ANONYMOUS = "programme_manager", "dcs", "performance_lead", "anonymous"
RUG = "scope={}&indicator_set=core"

BENCH_PAGES: dict[str, BenchPage] = {
    "dashboard": BenchPage("GET dashboard", PM),
    "LA list": BenchPage("GET regions:la_list", DCS),
    "LA page": BenchPage("GET regions:la_detail", DCS),
    "region page": BenchPage("GET regions:region_detail", PM),
    "event page": BenchPage("GET events:event_detail", PM),
    "registrations list": BenchPage("GET events:registrations", PM),
    "self-assessment page": BenchPage("GET peer_challenge:self_assessment_detail", DCS),
    "plan page": BenchPage("GET regions:plan_detail", PM),
    "tartan rug (London, region)": BenchPage(
        "GET benchmarking_reports:rug[quarter]", PM, RUG.format("region")
    ),
    "tartan rug (London, England)": BenchPage(
        "GET benchmarking_reports:rug[quarter]", PM, RUG.format("england")
    ),
    "datapack page": BenchPage(
        "GET benchmarking_reports:datapack[quarter]", DCS, RUG.format("region")
    ),
    "completeness grid": BenchPage("GET benchmarking:completeness", PM),
    "public region page (anonymous)": BenchPage("GET regions:public_region", ANONYMOUS),
    "public update (anonymous)": BenchPage("GET regions:public_update", ANONYMOUS),
    "public Atom feed (anonymous)": BenchPage("GET regions:public_feed", ANONYMOUS),
    "entry form (18-indicator return)": BenchPage("GET benchmarking:return_entry[draft]", LEAD),
    "search": BenchPage("GET search", PM, "?q=children+Camden"),
    "search (typo)": BenchPage("GET search", DCS, "?q=Somerest"),
    "notifications inbox": BenchPage("GET notifications:inbox", DCS),
}

PAGE_NAMES = [name for name, _ in PAGES]


def bench_page(name: str) -> BenchPage:
    assert name in BENCH_PAGES, f"bench page {name!r} has no test-world page in {__name__}"
    return BENCH_PAGES[name]
