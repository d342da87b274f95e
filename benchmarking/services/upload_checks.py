"""A region's bulk return file, checked in the background: the request stores the file and
answers at once; a task checks and saves it (``uploads.return_upload``: all or nothing) and
records the outcome in words, which the uploader's page polls."""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from regions.models import Region
from sli_portal.access import System, require
from sli_portal.queueing import enqueue_on_commit

from ..models import Period, UploadCheck, UploadCheckStatus
from .uploads import UploadRejected, return_upload

logger = logging.getLogger(__name__)
RUN_TASK = "benchmarking.tasks.run_upload_check"
# A check still "checking" this long after it was asked for has lost its task (Redis was down,
# a worker died): the sweep queues it again. Running it twice is harmless (see upload_check_run).
STALE_AFTER = timedelta(minutes=2)


@transaction.atomic
def upload_check_start(
    *, actor: User, region: Region, period: Period, file_name: str, data: bytes
) -> tuple[UploadCheck, bool]:
    """Keep the file and queue its check; (the check, True) or, when the same person already
    has the same file checking for the same region and quarter, (that check, False)."""
    require(actor, "benchmarking.bulk_upload", region)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            check = UploadCheck.objects.create(
                uploaded_by=actor,
                region=region,
                period=period,
                file_name=file_name[:255],
                sha256=sha256,
                size=len(data),
                data=data,
            )
    except IntegrityError:
        running = UploadCheck.objects.get(
            uploaded_by=actor,
            region=region,
            period=period,
            sha256=sha256,
            status=UploadCheckStatus.CHECKING,
        )
        return running, False
    enqueue_on_commit(RUN_TASK, check.pk)
    return check, True


@transaction.atomic
def upload_check_run(*, actor: System, check_id: int) -> str:
    """Check and save the file as its uploader (their permission is checked again now), then
    record the outcome and forget the bytes. Idempotent: a finished check is left alone, and a
    check run twice at once runs once (the row is locked)."""
    require(actor, "benchmarking.run_jobs")
    check = (
        UploadCheck.objects.select_for_update()
        .select_related("uploaded_by", "region", "period")
        .filter(pk=check_id)
        .first()
    )
    if check is None or check.is_finished:
        return "skipped"
    try:
        with transaction.atomic():
            result = return_upload(
                actor=check.uploaded_by,
                period=check.period,
                file_name=check.file_name,
                data=bytes(check.data),
                region=check.region,
            )
    except UploadRejected as rejected:
        check.status = UploadCheckStatus.FAILED
        check.issues = [str(issue) for issue in rejected.issues]
    except PermissionDenied:
        check.status = UploadCheckStatus.FAILED
        check.issues = ["You may no longer upload returns for this region; nothing was saved."]
    except Exception:  # the uploader is told in words and may try again
        logger.exception("Upload check %s failed", check_id)
        check.status = UploadCheckStatus.FAILED
        check.issues = [
            "The portal could not check this file because of an error on our side; nothing "
            "was saved. Try again, and tell the programme manager if it happens again."
        ]
    else:
        check.status = UploadCheckStatus.VALIDATED
        check.upload = result.upload
        check.values_changed = result.values_changed
        check.returns_count = len(result.returns)
        check.warnings = [f"{la}, {code}: {text}" for la, code, text in result.warnings]
    check.data = b""
    check.finished_at = timezone.now()
    check.save()
    return check.status


def upload_checks_requeue_stale(*, actor: System) -> int:
    """Queue again the checks whose task was lost (the sweep; see STALE_AFTER)."""
    require(actor, "benchmarking.run_jobs")
    stale = UploadCheck.objects.filter(
        status=UploadCheckStatus.CHECKING, created_at__lt=timezone.now() - STALE_AFTER
    ).values_list("pk", flat=True)
    ids = list(stale)
    for check_id in ids:
        enqueue_on_commit(RUN_TASK, check_id)
    return len(ids)
