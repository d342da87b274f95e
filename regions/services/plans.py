"""Writes for plans and their annexes. Every write checks access first (`sli_portal.access`).

These functions also hold the plan's own invariants (periods, one current plan per region,
unique titles) and raise ValidationError, naming the field, for anything that would break them.
"""

import zipfile
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from accounts.models import User
from sli_portal.access import System, require, user_of

from ..models import Plan, PlanAttachment, PlanStatus, Region, financial_year_label
from ._shared import _as, _full_clean

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _clean_principles(principles: Sequence[str] | None) -> list[str]:
    cleaned = [str(p).strip() for p in (principles or []) if str(p).strip()]
    too_long = [p for p in cleaned if len(p) > 500]
    if too_long:
        raise ValidationError(
            {
                "principles": f"Each principle must be 500 characters or fewer ({len(too_long)} are longer)."
            }
        )
    return cleaned


def _check_period(start_year: int | None, end_year: int | None) -> None:
    if start_year is None or end_year is None:
        raise ValidationError({"start_year": "Give the first and last financial years."})
    if not 2000 <= start_year <= 2100 or not 2000 <= end_year <= 2100:
        raise ValidationError({"start_year": "Financial years must be between 2000 and 2100."})
    if end_year < start_year:
        raise ValidationError({"end_year": "The last financial year cannot be before the first."})
    if end_year - start_year > 9:
        raise ValidationError({"end_year": "A plan can cover at most ten financial years."})


def _lock_region(region_id: int) -> None:
    """Serialise plan writes per region: titles and "current" are unique within a region."""
    Region.objects.select_for_update().filter(pk=region_id).first()


def _save_plan(plan: Plan, actor: User | System) -> Plan:
    if plan.is_current:
        _set_current(plan, actor)
    try:
        with transaction.atomic():
            _as(plan, actor).save()
    except IntegrityError as error:
        if "plan_one_current_per_region" in str(error):
            raise ValidationError(
                {"is_current": f"Another plan of {plan.region} was made current meanwhile."}
            ) from error
        raise ValidationError(
            {"title": f"{plan.region} already has a plan called “{plan.title}”."}
        ) from error
    return plan


def _set_current(plan: Plan, actor: User | System) -> None:
    for other in (
        Plan.objects.select_for_update()
        .filter(region_id=plan.region_id, is_current=True)
        .exclude(pk=plan.pk)
    ):
        other.is_current = False
        _as(other, actor).save(update_fields=["is_current", "updated_at"])


@transaction.atomic
def plan_create(
    *,
    actor: User | System,
    region: Region,
    title: str,
    start_year: int,
    end_year: int,
    status: str = PlanStatus.DRAFT,
    summary: str = "",
    principles: Sequence[str] = (),
    launch_date: date | None = None,
    launch_event: str = "",
    is_current: bool = False,
) -> Plan:
    require(actor, "regions.add_plan", region)
    _check_period(start_year, end_year)
    _lock_region(region.pk)
    title = (title or "").strip()
    if Plan.objects.filter(region=region, title__iexact=title).exists():
        raise ValidationError({"title": f"{region} already has a plan called “{title}”."})
    plan = Plan(
        region=region,
        title=title,
        start_year=start_year,
        end_year=end_year,
        status=status,
        summary=summary,
        principles=_clean_principles(principles),
        launch_date=launch_date,
        launch_event=launch_event,
        is_current=is_current,
        created_by=user_of(actor),
    )
    _full_clean(plan)
    return _save_plan(plan, actor)


PLAN_FIELDS = (
    "title",
    "start_year",
    "end_year",
    "status",
    "summary",
    "principles",
    "launch_date",
    "launch_event",
    "is_current",
)


@transaction.atomic
def plan_update(*, actor: User | System, plan: Plan, **changes: Any) -> Plan:
    require(actor, "regions.change_plan", plan)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown plan fields: {', '.join(sorted(unknown))}.")
    _lock_region(plan.region_id)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if "principles" in changes:
        changes["principles"] = _clean_principles(changes["principles"])
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if (
            Plan.objects.filter(region_id=plan.region_id, title__iexact=changes["title"])
            .exclude(pk=plan.pk)
            .exists()
        ):
            raise ValidationError(
                {"title": f"{plan.region} already has a plan called “{changes['title']}”."}
            )
    for name, value in changes.items():
        setattr(plan, name, value)
    _check_period(plan.start_year, plan.end_year)
    outside = (
        plan.contributions.exclude(financial_year__range=(plan.start_year, plan.end_year))
        .values_list("financial_year", flat=True)
        .distinct()
    )
    if outside:
        years = ", ".join(financial_year_label(y) for y in sorted(outside))
        raise ValidationError(
            {"end_year": f"Funding is recorded for {years}, outside the new period."}
        )
    _full_clean(plan)
    return _save_plan(plan, actor)


def _sniff_attachment(upload: UploadedFile) -> str:
    """The checked content type of an uploaded annex, or a ValidationError saying what is wrong."""
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError({"file": f"“{name}” is not a PDF or Word (.docx) file."})
    size = upload.size or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "file": f"“{name}” is {size / 1024 / 1024:.1f} MB; "
                f"annexes must be {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB or smaller."
            }
        )
    if size == 0:
        raise ValidationError({"file": f"“{name}” is empty."})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if suffix == ".pdf" and not head.startswith(b"%PDF-"):
        raise ValidationError({"file": f"“{name}” is called .pdf but is not a PDF."})
    if suffix == ".docx":
        ok = head.startswith(b"PK\x03\x04")
        if ok:
            try:
                with zipfile.ZipFile(upload) as archive:
                    ok = "word/document.xml" in archive.namelist()
            except zipfile.BadZipFile:
                ok = False
            upload.seek(0)
        if not ok:
            raise ValidationError({"file": f"“{name}” is called .docx but is not a Word document."})
    return ATTACHMENT_TYPES[suffix]


@transaction.atomic
def attachment_add(
    *, actor: User | System, plan: Plan, title: str, upload: UploadedFile
) -> PlanAttachment:
    require(actor, "regions.change_plan", plan)
    content_type = _sniff_attachment(upload)
    name = upload.name or ""
    title = (title or "").strip() or name
    attachment = PlanAttachment(
        plan=plan,
        title=title[:200],
        original_name=name[:255],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=user_of(actor),
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User | System, attachment: PlanAttachment) -> None:
    require(actor, "regions.change_plan", attachment)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
