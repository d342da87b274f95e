from celery import shared_task

from sli_portal.access import SYSTEM
from sli_portal.queueing import enqueue_on_commit

from . import services
from .services import reports as report_services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_return_chase(chase_id: int) -> bool:
    return services.chase_send(chase_id=chase_id)


@shared_task
def chase_returns() -> int:
    """Daily: record due chases (once per LA, quarter and occasion) and queue unsent ones."""
    pending = services.chases_record_due()
    for chase_id in pending:
        enqueue_on_commit(send_return_chase, chase_id)
    return len(pending)


@shared_task
def lock_due_returns() -> int:
    """Daily: lock approved returns past their window's lock date."""
    return services.returns_lock_due()


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
