"""Writes for the benchmarking reports: request, run and retry report builds; rebuild a region's
reports after an approval; exception narratives.

A build is keyed by what the report depends on (kind, region, LA, period, scope, indicator set and
a hash of the data it reads), so asking again for an unchanged report returns the stored file
and any change to the data gives a new build. Builds run in Celery (``benchmarking.tasks``,
queued by dotted path); progress and failures are written to the build row, which the page polls.

After a quarterly return is approved, ``region_reports_rebuild_on_approval`` (a receiver of
``benchmarking.signals.return_approved``, connected in ``apps.py``) queues one rebuild of the
region's reports for that period after commit.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from benchmarking.domain import exports
from benchmarking.models import (
    BuildStatus,
    ExceptionNarrative,
    Indicator,
    IndicatorSet,
    Period,
    ReportBuild,
    ReportKind,
    ReportScope,
    Return,
)
from benchmarking.rules import ReportTarget
from benchmarking.selectors import reports as selectors
from regions.models import LocalAuthority, Region
from sli_portal.access import System, require, user_of
from sli_portal.queueing import enqueue_on_commit, enqueue_once_on_commit

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

NARRATIVE_MAX = 4000
# What is rebuilt for a region's period after a return is approved, besides every variant that
# was built before (PDFs included): the default tartan rug as XLSX and CSV, which take well
# under a second, so a run of approvals does not queue minutes of PDF rendering for files
# nobody has asked for yet.
DEFAULT_REBUILDS = [
    (ReportKind.RUG_XLSX, ReportScope.REGION, IndicatorSet.CORE),
    (ReportKind.RUG_CSV, ReportScope.REGION, IndicatorSet.CORE),
]


RUN_BUILD_TASK = "benchmarking.tasks.run_report_build"
REBUILD_TASK = "benchmarking.tasks.rebuild_region_reports"

# Bump when the layout or content of the files changes, so stored files are built again.
REPORT_FORMAT_VERSION = "2"


def _build_key(*, kind, region_id, la_id, period_id, scope, indicator_set, data_version) -> str:
    raw = (
        f"{REPORT_FORMAT_VERSION}|{kind}|{region_id}|{la_id or ''}|{period_id}|{scope}|"
        f"{indicator_set}|{data_version}"
    )
    return hashlib.sha256(raw.encode()).hexdigest()


def _validate_choice(value, choices, what):
    if value not in choices.values:
        raise ValidationError(f"Unknown {what} '{value}'.")


def report_build_request(
    *,
    actor: User | System,
    kind: str,
    region: Region,
    period: Period,
    scope: str,
    indicator_set: str,
    local_authority: LocalAuthority | None = None,
) -> ReportBuild:
    """The build for this report and the current data: the stored one, or a new one queued."""
    require(actor, "benchmarking.build_report", ReportTarget(region, period, indicator_set))
    _validate_choice(kind, ReportKind, "report")
    _validate_choice(scope, ReportScope, "scope")
    _validate_choice(indicator_set, IndicatorSet, "indicator set")
    if (kind == ReportKind.DATAPACK_PDF) != (local_authority is not None):
        raise ValidationError("A datapack is for one LA; other reports are for the region.")
    if local_authority is not None and local_authority.region_id != region.pk:
        raise ValidationError("That LA is not in this region.")
    inputs = selectors.load_inputs(region, period, scope=scope, indicator_set=indicator_set)
    version = inputs.data_version()
    key = _build_key(
        kind=kind,
        region_id=region.pk,
        la_id=local_authority.pk if local_authority else None,
        period_id=period.pk,
        scope=scope,
        indicator_set=indicator_set,
        data_version=version,
    )
    existing = ReportBuild.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            build = ReportBuild.objects.create(
                key=key,
                kind=kind,
                region=region,
                local_authority=local_authority,
                period=period,
                scope=scope,
                indicator_set=indicator_set,
                data_version=version,
                requested_by=user_of(actor),
            )
    except IntegrityError:  # another request created it a moment ago
        return ReportBuild.objects.get(key=key)
    enqueue_on_commit(RUN_BUILD_TASK, build.pk)
    return build


@transaction.atomic
def report_build_retry(*, actor: User | System, build: ReportBuild) -> ReportBuild:
    require(
        actor,
        "benchmarking.build_report",
        ReportTarget(build.region, build.period, build.indicator_set),
    )
    build = ReportBuild.objects.select_for_update().get(pk=build.pk)
    if build.status != BuildStatus.FAILED:
        raise ValidationError("Only a failed build can be retried.")
    build.status = BuildStatus.QUEUED
    build.progress = 0
    build.error = ""
    build.requested_by = user_of(actor) or build.requested_by
    build.save(update_fields=["status", "progress", "error", "requested_by"])
    enqueue_on_commit(RUN_BUILD_TASK, build.pk)
    return build


def _claim(build_id: int) -> ReportBuild | None:
    """Move a queued build to running; None if another worker has it or it is finished."""
    with transaction.atomic():
        build = (
            ReportBuild.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=build_id, status=BuildStatus.QUEUED)
            .select_related("region", "period", "local_authority")
            .first()
        )
        if build is None:
            return None
        build.status = BuildStatus.RUNNING
        build.started_at = timezone.now()
        build.attempts += 1
        build.progress = 1
        build.save(update_fields=["status", "started_at", "attempts", "progress"])
    return build


def _progress(build: ReportBuild, percent: float) -> None:
    ReportBuild.objects.filter(pk=build.pk).update(progress=max(1, min(99, int(percent))))


def report_build_execute(*, actor: User | System, build_id: int) -> str:
    """Run one build (the Celery task, as SYSTEM). Returns the final status."""
    require(actor, "benchmarking.run_jobs")
    claimed = _claim(build_id)
    if claimed is None:
        return "skipped"
    build = claimed
    started = time.monotonic()
    try:
        content, name, pages = _render(build, lambda p: _progress(claimed, p))
    except Exception as exc:  # the reason is shown to the user, who can retry
        logger.exception("Report build %s failed", build_id)
        ReportBuild.objects.filter(pk=build.pk).update(
            status=BuildStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return BuildStatus.FAILED
    with transaction.atomic():
        build = ReportBuild.objects.select_for_update().get(pk=build.pk)
        build.file.save(name, ContentFile(content), save=False)
        build.file_name = name
        build.size = len(content)
        build.pages = pages
        build.status = BuildStatus.DONE
        build.progress = 100
        build.finished_at = timezone.now()
        build.duration_ms = int((time.monotonic() - started) * 1000)
        build.save()
    return BuildStatus.DONE


def _render(build: ReportBuild, progress: Callable[[float], None]) -> tuple[bytes, str, int | None]:
    inputs = selectors.load_inputs(
        build.region, build.period, scope=build.scope, indicator_set=build.indicator_set
    )
    if inputs.data_version() != build.data_version:
        raise RuntimeError(
            "The data changed after this build was requested; ask for the report again."
        )
    progress(10)
    stem = f"{slugify(build.region.name)}-{build.period.slug}-{build.scope}-{build.indicator_set}"
    kind = build.kind
    if kind in (ReportKind.RUG_XLSX, ReportKind.RUG_CSV, ReportKind.RUG_PDF):
        rug = selectors.rug(inputs, ofsted=True)  # files carry the Ofsted row
        progress(50)
        if kind == ReportKind.RUG_XLSX:
            return exports.rug_xlsx(rug), f"tartan-rug-{stem}.xlsx", None
        if kind == ReportKind.RUG_CSV:
            return exports.rug_csv(rug), f"tartan-rug-{stem}.csv", None
        pdf = exports.rug_pdf(rug)
        return pdf.data, f"tartan-rug-{stem}.pdf", pdf.pages
    if kind == ReportKind.DATAPACK_PDF:
        la_of_pack = cast(LocalAuthority, build.local_authority)  # a datapack is for one LA
        pack = selectors.datapack(inputs, la_of_pack.pk)
        progress(40)
        pdf = exports.datapack_pdf(pack)
        la = slugify(la_of_pack.name)
        return pdf.data, f"datapack-{la}-{build.period.slug}-{build.scope}.pdf", pdf.pages
    packs = selectors.datapacks(inputs)
    progress(20)
    total = max(1, len(packs))
    if kind == ReportKind.REGION_PACK_PDF:
        pdf = exports.region_pack_pdf(packs)
        return pdf.data, f"datapacks-{stem}.pdf", pdf.pages
    pdfs = []
    for i, pack in enumerate(packs, start=1):
        pdfs.append(exports.datapack_pdf(pack).data)
        progress(40 + 59 * i / total)
    return exports.region_pack_zip(packs, pdfs), f"datapacks-{stem}.zip", None


STALE_QUEUED = 120  # seconds before a queued build is queued again
STALE_RUNNING = 1800  # seconds before a running build is taken to have lost its worker


def report_builds_requeue_stale(*, actor: User | System) -> int:
    """Queue again builds still queued (broker was down); fail builds whose worker died."""
    require(actor, "benchmarking.run_jobs")
    now = timezone.now()
    ReportBuild.objects.filter(
        status=BuildStatus.RUNNING, started_at__lt=now - timedelta(seconds=STALE_RUNNING)
    ).update(
        status=BuildStatus.FAILED,
        error="The build stopped (its worker went away). Retry it.",
        finished_at=now,
    )
    stale = list(
        ReportBuild.objects.filter(
            status=BuildStatus.QUEUED, created_at__lt=now - timedelta(seconds=STALE_QUEUED)
        ).values_list("pk", flat=True)
    )
    for build_id in stale:
        enqueue_on_commit(RUN_BUILD_TASK, build_id)
    return len(stale)


# --- automatic rebuild after approval ----------------------------------------------------------


def region_reports_rebuild(*, actor: User | System, region_id: int, period_id: int) -> list[int]:
    """Bring the region's reports for a period up to date with the data (after an approval).

    Rebuilds the default rug files and every variant built before for that region and period;
    a variant whose data did not change is already stored and is not built again.
    """
    require(actor, "benchmarking.run_jobs")
    region = Region.objects.get(pk=region_id)
    period = Period.objects.get(pk=period_id)
    variants: set[tuple[str, str, str, int | None]] = {
        (kind, scope, indicator_set, None) for kind, scope, indicator_set in DEFAULT_REBUILDS
    }
    variants |= set(
        ReportBuild.objects.filter(region=region, period=period).values_list(
            "kind", "scope", "indicator_set", "local_authority_id"
        )
    )
    las = {la.pk: la for la in LocalAuthority.objects.filter(region=region)}
    build_ids = []
    for kind, scope, indicator_set, la_id in sorted(variants, key=str):
        build = report_build_request(
            actor=actor,
            kind=kind,
            region=region,
            period=period,
            scope=scope,
            indicator_set=indicator_set,
            local_authority=las.get(la_id) if la_id else None,
        )
        build_ids.append(build.pk)
    return build_ids


def region_reports_rebuild_on_approval(
    sender: type[Return], *, return_obj: Return, actor: User | System, **kwargs: Any
) -> None:
    """Receiver of ``benchmarking.signals.return_approved`` (connected in ``apps.py``): queue a
    rebuild of the region's reports for the return's period, after commit.

    Approvals in one transaction queue one rebuild per region and period: the demo approves a
    hundred returns inside ``seed_demo``'s transaction and its reports are built once, at the
    end. (The database trigger of migration 0004 is not part of this: it only keeps cached
    report pages from going stale.)
    """
    require(actor, "benchmarking.approve_return", return_obj)
    enqueue_once_on_commit(REBUILD_TASK, return_obj.local_authority.region_id, return_obj.period_id)


# --- exception narratives ----------------------------------------------------------------------


@transaction.atomic
def exception_narrative_save(
    *,
    actor: User | System,
    local_authority: LocalAuthority,
    period: Period,
    indicator: Indicator,
    text: str,
) -> ExceptionNarrative:
    require(actor, "benchmarking.write_narrative", local_authority)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the narrative: it cannot be empty."})
    if len(text) > NARRATIVE_MAX:
        raise ValidationError({"text": f"Keep the narrative under {NARRATIVE_MAX} characters."})
    narrative, created = ExceptionNarrative.objects.select_for_update().get_or_create(
        local_authority=local_authority,
        period=period,
        indicator=indicator,
        defaults={"text": text, "written_by": user_of(actor)},
    )
    if not created and narrative.text != text:
        narrative.text = text
        narrative.written_by = user_of(actor)
        narrative.save()
    return narrative
