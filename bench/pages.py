"""What `make bench` measures: each page as a realistic user, and the non-page jobs.

A page is (name, function() -> (url, user)). Non-page benchmarks are (name, function() ->
None | float), timed once each; a job that prepares its input first (e.g. builds the files to
upload) returns the seconds of the work itself, which bench/run.py reports instead.
"""

import time

from django.urls import reverse

from regions.models import LocalAuthority, Membership, Region, Role


def _pm_of(region):
    return (
        Membership.objects.select_related("user")
        .get(region=region, role=Role.PROGRAMME_MANAGER)
        .user
    )


def _dcs_of(la):
    return Membership.objects.select_related("user").get(local_authority=la, role=Role.DCS).user


def _largest_region():
    # London (33 LAs) is the heaviest region page.
    return Region.objects.get(code="E12000007")


def layout_reference():
    """The signed-in frame with no content (sli_portal.bench_views), as an LA's DCS."""
    return reverse("bench_layout"), _dcs_of(LocalAuthority.objects.get(gss_code="E06000066"))


def dashboard():
    return reverse("dashboard"), _pm_of(_largest_region())


def la_list():
    la = LocalAuthority.objects.get(gss_code="E06000066")
    return reverse("regions:la_list"), _dcs_of(la)


def la_page():
    la = LocalAuthority.objects.get(gss_code="E06000066")
    return la.get_absolute_url(), _dcs_of(la)


def region_page():
    region = _largest_region()
    return region.get_absolute_url(), _pm_of(region)


def _busiest_event():
    from django.db.models import Count, Q

    from events.models import Event

    return (
        Event.objects.filter(region=_largest_region())
        .annotate(taken=Count("delegates", filter=Q(delegates__status="registered")))
        .order_by("-taken", "pk")
        .first()
    )


def event_page():
    event = _busiest_event()
    return event.get_absolute_url(), _pm_of(event.region)


def registrations():
    event = _busiest_event()
    return reverse("events:registrations", kwargs={"pk": event.pk}), _pm_of(event.region)


def self_assessment_page():
    from peer_challenge.models import SelfAssessment

    la = LocalAuthority.objects.get(gss_code="E06000066")
    assessment = (
        SelfAssessment.objects.filter(local_authority=la).order_by("-cycle__year", "-pk").first()
    )
    return (
        reverse("peer_challenge:self_assessment_detail", kwargs={"pk": assessment.pk}),
        _dcs_of(la),
    )


def _latest_quarter(region):
    """The region's newest quarter with approved returns (what its reports open on)."""
    from benchmarking.models import Period, PeriodKind, Source, Status

    return (
        Period.objects.filter(
            kind=PeriodKind.QUARTER,
            returns__source=Source.RETURN,
            returns__status__in=(Status.APPROVED, Status.LOCKED),
            returns__local_authority__region=region,
        )
        .distinct()
        .order_by("-end")
        .first()
    )


def plan_page():
    from regions.models import Plan

    region = _largest_region()
    plan = Plan.objects.get(region=region, is_current=True)
    return reverse("regions:plan_detail", kwargs={"pk": plan.pk}), _pm_of(region)


def _rug(scope):
    region = _largest_region()
    period = _latest_quarter(region)
    url = reverse("benchmarking_reports:rug", kwargs={"region_slug": region.slug})
    return f"{url}?period={period.slug}&scope={scope}&indicator_set=core", _pm_of(region)


def rug_region():
    return _rug("region")


def rug_england():
    return _rug("england")


def datapack_page():
    la = LocalAuthority.objects.get(gss_code="E06000066")
    period = _latest_quarter(la.region)
    url = reverse("benchmarking_reports:datapack", kwargs={"la_slug": la.slug})
    return f"{url}?period={period.slug}&scope=region&indicator_set=core", _dcs_of(la)


def completeness_page():
    region = _largest_region()
    period = _newest_window(region)
    return (
        reverse(
            "benchmarking:completeness",
            kwargs={"region_slug": region.slug, "period_slug": period.slug},
        ),
        _pm_of(region),
    )


def _newest_window(region):
    from benchmarking.models import ReturnWindow

    return ReturnWindow.objects.filter(region=region).order_by("-period__end").first().period


def _public_region():
    return _largest_region()


def public_region_page():
    """A region's public page, anonymous (issue 16): updates, events, plan summary."""
    region = _public_region()
    return reverse("regions:public_region", kwargs={"slug": region.slug}), None


def public_update_page():
    from regions.models import Update

    region = _public_region()
    update = Update.objects.filter(region=region, status="published").order_by("-publish_date")[0]
    return reverse("regions:public_update", kwargs={"slug": region.slug, "pk": update.pk}), None


def public_feed():
    region = _public_region()
    return reverse("regions:public_feed", kwargs={"slug": region.slug}), None


def _draft_return():
    """A full (18-value) draft return of the newest quarter, and who types into it: the LA's
    performance lead, or the region's programme manager where the LA has none. If no draft is
    full, one LA's return is filled first through the real upload (its previous quarter's
    figures relabelled), as a performance lead would before correcting a value."""
    from django.db.models import Count

    from benchmarking import exports, services
    from benchmarking.domain.validation import COLUMNS
    from benchmarking.models import Return, Source, Status
    from benchmarking.selectors import template_rows

    full = (
        Return.objects.filter(source=Source.RETURN, status=Status.DRAFT)
        .annotate(given=Count("values"))
        .filter(given__gte=18)
        .select_related("local_authority__region", "period")
        .order_by("-period__end", "local_authority__gss_code")
    )
    ret = full.first()
    if ret is None:
        region = _largest_region()
        period = _newest_window(region)
        taken = Return.objects.filter(period=period, source=Source.RETURN).exclude(
            status=Status.DRAFT
        )
        la = (
            LocalAuthority.objects.filter(region=region, is_active=True)
            .exclude(pk__in=taken.values("local_authority"))
            .order_by("gss_code")
            .first()
        )
        previous = (
            Return.objects.filter(
                local_authority=la, source=Source.RETURN, period__end__lt=period.start
            )
            .order_by("-period__end")
            .first()
            .period
        )
        rows = template_rows(las=[la], period=previous, region=region)
        for row in rows[1:]:
            row[COLUMNS.index("period")] = period.label
            row[COLUMNS.index("comment")] = "Checked"
        services.return_upload(
            actor=_pm_of(region),
            period=period,
            file_name="bench.csv",
            data=exports.template_csv(rows),
            local_authority=la,
        )
        ret = full.first()
    lead = Membership.objects.filter(
        local_authority=ret.local_authority, role=Role.PERFORMANCE_LEAD
    ).first()
    return ret, lead.user if lead else _pm_of(ret.local_authority.region)


def entry_page():
    ret, user = _draft_return()
    kwargs = {"la_slug": ret.local_authority.slug, "period_slug": ret.period.slug}
    return reverse("benchmarking:return_entry", kwargs=kwargs), user


def search_page():
    """The header's search as London's programme manager: a word of many priorities, actions
    and events, and an LA name (full text, trigram and every kind's permission check)."""
    return reverse("search") + "?q=children+Camden", _pm_of(_largest_region())


def search_typo():
    """A misspelt LA name (trigram similarity) as an LA's DCS."""
    la = LocalAuthority.objects.get(gss_code="E06000066")
    return reverse("search") + "?q=Somerest", _dcs_of(la)


def inbox_page():
    """An LA's DCS's notifications (60 at England scale, a third unread)."""
    la = LocalAuthority.objects.get(gss_code="E06000066")
    return reverse("notifications:inbox"), _dcs_of(la)


PAGES = [
    ("dashboard", dashboard),
    ("LA list", la_list),
    ("LA page", la_page),
    ("region page", region_page),
    ("event page", event_page),
    ("registrations list", registrations),
    ("self-assessment page", self_assessment_page),
    ("plan page", plan_page),
    ("tartan rug (London, region)", rug_region),
    ("tartan rug (London, England)", rug_england),
    ("datapack page", datapack_page),
    ("completeness grid", completeness_page),
    ("public region page (anonymous)", public_region_page),
    ("public update (anonymous)", public_update_page),
    ("public Atom feed (anonymous)", public_feed),
    ("entry form (18-indicator return)", entry_page),
    ("search", search_page),
    ("search (typo)", search_typo),
    ("notifications inbox", inbox_page),
]


def bulk_upload_all_regions() -> float:
    """Every region's bulk file for a new quarter (153 LAs x 18 indicators in all), uploaded by
    its programme manager through the real service: validation, outlier checks and the save.

    A bulk file is per region, so the nine files go in one after another. Each file is the
    real template (pre-filled with the region's last complete quarter) written as XLSX by the
    real export code, relabelled for the quarter after the newest. Returns the seconds of the nine uploads."""
    from benchmarking import exports, services
    from benchmarking.domain.periods import default_window_dates
    from benchmarking.domain.validation import COLUMNS
    from benchmarking.models import Period, Source, period_for_quarter
    from benchmarking.selectors import template_rows

    period_column = COLUMNS.index("period")
    files = []
    for region in Region.objects.order_by("code"):
        # The newest quarter is still coming in; the one before is complete.
        newest, previous = (
            Period.objects.filter(
                returns__source=Source.RETURN, returns__local_authority__region=region
            )
            .distinct()
            .order_by("-end")[:2]
        )
        year, quarter = (
            (newest.fiscal_year, newest.quarter + 1)
            if newest.quarter < 4
            else (newest.fiscal_year + 1, 1)
        )
        period = period_for_quarter(year, quarter)
        opens, due, locks = default_window_dates(period)
        pm = _pm_of(region)
        services.window_save(
            actor=pm, region=region, period=period, opens_on=opens, due_on=due, locks_on=locks
        )
        las = list(LocalAuthority.objects.filter(region=region, is_active=True).order_by("name"))
        rows = template_rows(las=las, period=previous, region=region)
        for row in rows[1:]:
            row[period_column] = period.label
        data = exports.template_xlsx(rows, title=f"{region.name}: {period.label}")
        files.append((region, period, pm, opens, f"returns-{region.slug}-{period.slug}.xlsx", data))
    started = time.perf_counter()
    saved = 0
    for region, period, pm, opens, name, data in files:
        result = services.return_upload(
            actor=pm, period=period, file_name=name, data=data, region=region, today=opens
        )
        saved += result.values_changed
    seconds = time.perf_counter() - started
    expected = LocalAuthority.objects.filter(is_active=True).count() * 18
    if saved < expected * 0.99:
        raise SystemExit(f"bulk upload saved {saved} values, expected about {expected}")
    return seconds


def published_import_100k() -> float:
    """~100,000 synthetic published values (153 LAs x 76 years before the real data) through
    the real import. Returns the seconds of the import alone."""
    from benchmarking import services
    from benchmarking.seed.synthetic import synthetic_published_files
    from sli_portal.access import SYSTEM

    # LAs that existed throughout (a reorganised LA's successors start in their own years)
    las = list(
        LocalAuthority.objects.filter(is_active=True, existed_from__isnull=True).order_by(
            "gss_code"
        )
    )
    files = synthetic_published_files(las, range(1936, 2012))
    started = time.perf_counter()
    report = services.published_data_import(actor=SYSTEM, files=files)
    seconds = time.perf_counter() - started
    if report.loaded < 100_000:
        raise SystemExit(f"the synthetic import loaded only {report.loaded} values")
    return seconds


def _build(kind, region, la=None, actor=None):
    """Request the report as the user, then run the build here (as the worker would)."""
    from benchmarking.models import BuildStatus, IndicatorSet, ReportBuild, ReportScope
    from benchmarking.services import reports as report_services
    from sli_portal.access import SYSTEM

    build = report_services.report_build_request(
        actor=actor,
        kind=kind,
        region=region,
        period=_latest_quarter(region),
        scope=ReportScope.REGION,
        indicator_set=IndicatorSet.CORE,
        local_authority=la,
    )
    # "skipped" if Celery ran it eagerly
    report_services.report_build_execute(actor=SYSTEM, build_id=build.pk)
    build = ReportBuild.objects.get(pk=build.pk)
    if build.status != BuildStatus.DONE:
        raise SystemExit(f"{kind} build {build.pk} ended {build.status}: {build.error}")


def datapack_pdf() -> float:
    """One LA's datapack PDF, requested and built. A worker imports WeasyPrint (and Pango) once,
    ~0.6 s, when it first builds a PDF; this times a build in a worker that has done so, as every
    build after a worker's first is. Returns the seconds of the build."""
    import weasyprint  # noqa: F401

    from benchmarking.models import ReportKind

    la = LocalAuthority.objects.get(gss_code="E06000066")
    user = _dcs_of(la)
    started = time.perf_counter()
    _build(ReportKind.DATAPACK_PDF, la.region, la=la, actor=user)
    return time.perf_counter() - started


def region_pack_north_west():
    from benchmarking.models import ReportKind

    region = Region.objects.get(name="North West")
    _build(ReportKind.REGION_PACK_PDF, region, actor=_pm_of(region))


def cell_save_p95() -> float:
    """One cell of a full draft return saved 200 times, one after another, through the real
    view (htmx row post: checks, version check, save, the row again), each with the version the
    previous answer carried, alternating two figures so every save writes a version. Returns
    the 95th percentile of one save, in seconds."""
    import re
    import statistics

    from django.test import Client

    from benchmarking.models import Value

    ret, user = _draft_return()
    value = Value.objects.select_related("indicator").get(
        return_obj=ret, indicator__code="CLA_RATE"
    )
    client = Client()
    client.force_login(user)
    url = reverse(
        "benchmarking:return_entry_row",
        kwargs={
            "la_slug": ret.local_authority.slug,
            "period_slug": ret.period.slug,
            "code": "CLA_RATE",
        },
    )
    from benchmarking.selectors.entry import value_version

    version = value_version(value)
    base = int(value.numerator or 500)
    timings = []
    for n in range(200):
        data = {
            "CLA_RATE-numerator": str(base + 1 + n % 2),
            "CLA_RATE-denominator": format(value.denominator.normalize(), "f"),
            "CLA_RATE-version": version,
        }
        started = time.perf_counter()
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        timings.append(time.perf_counter() - started)
        html = response.content.decode()
        if response.status_code != 200 or "Saved" not in html:
            raise SystemExit(f"cell save {n} answered {response.status_code}: {html[:300]}")
        version = re.search(r'name="CLA_RATE-version" value="([^"]+)"', html).group(1)
    return statistics.quantiles(timings, n=20)[-1]


JOBS: list[tuple[str, object]] = [
    ("cell save: p95 of 200 saves of one value (s)", cell_save_p95),
    ("bulk upload: 9 region files, 153 LAs x 18 (s)", bulk_upload_all_regions),
    ("published import: ~100,000 values (s)", published_import_100k),
    ("datapack PDF: one LA (s)", datapack_pdf),
    ("region pack PDF: North West, 24 LAs (s)", region_pack_north_west),
]
