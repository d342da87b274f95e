"""Celery tasks for report builds: they take ids and call one service."""

from celery import shared_task

from benchmarking import report_services


@shared_task(acks_late=True)
def run_report_build(build_id: int) -> str:
    return report_services.report_build_execute(build_id)


@shared_task
def rebuild_region_reports(region_id: int, period_id: int) -> list[int]:
    return report_services.region_reports_rebuild(region_id=region_id, period_id=period_id)


@shared_task
def requeue_stale_report_builds() -> int:
    """Periodic sweep: queue builds left queued (e.g. Redis was down when they were asked for)."""
    return report_services.report_builds_requeue_stale()
