"""Daily jobs: each calls one service as the portal itself (chase emails go out through the
outbox, `sli_portal.outbox`)."""

from celery import shared_task

from sli_portal.access import SYSTEM

from .services import narratives as narrative_services
from .services import reports as report_services
from .services import upload_checks as upload_check_services
from .services.chasing import chases_record_due
from .services.returns import returns_lock_due


@shared_task
def chase_returns() -> int:
    """Daily: record due chases (once per LA, quarter and occasion); the outbox sends them."""
    return len(chases_record_due(actor=SYSTEM))


@shared_task
def lock_due_returns() -> int:
    """Daily: lock approved returns past their window's lock date."""
    return returns_lock_due(actor=SYSTEM)


@shared_task
def announce_narratives_owed(region_id: int, period_id: int) -> int:
    """After an approval: the region's quarter's flagged figures still to explain."""
    return narrative_services.narratives_owed_announce(
        actor=SYSTEM, region_id=region_id, period_id=period_id
    )


@shared_task
def sweep_narratives_owed() -> int:
    """Daily (beat): narratives owed in every quarter whose approved data changed lately."""
    return narrative_services.narratives_owed_sweep(actor=SYSTEM)


# --- Reports: builds take ids and run as the portal (queued by dotted path from the services) ---


@shared_task(acks_late=True)
def run_report_build(build_id: int) -> str:
    return report_services.report_build_execute(actor=SYSTEM, build_id=build_id)


@shared_task
def rebuild_region_reports(region_id: int, period_id: int) -> list[int]:
    return report_services.region_reports_rebuild(
        actor=SYSTEM, region_id=region_id, period_id=period_id
    )


@shared_task
def requeue_stale_report_builds() -> int:
    """Periodic sweep: queue builds left queued (e.g. Redis was down when they were asked for)."""
    return report_services.report_builds_requeue_stale(actor=SYSTEM)


# --- Bulk return files checked in the background (queued by dotted path from the service) ---


@shared_task(acks_late=True)
def run_upload_check(check_id: int) -> str:
    return upload_check_services.upload_check_run(actor=SYSTEM, check_id=check_id)


@shared_task
def requeue_stale_upload_checks() -> int:
    """Periodic sweep: queue checks whose task was lost (Redis down, a worker gone)."""
    return upload_check_services.upload_checks_requeue_stale(actor=SYSTEM)
