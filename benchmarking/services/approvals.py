"""The optional second approval level: a region may ask each LA's DCS to approve its submitted
return before the region (programme manager) approves it. Off by default."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from regions.models import Region
from sli_portal.access import System, require, user_of

from .. import signals
from ..models import ApprovalSetting, Return, Source, Status
from ..selectors.returns import dcs_approval_required


@transaction.atomic
def approval_setting_save(
    *, actor: User | System, region: Region, dcs_approval: bool
) -> ApprovalSetting:
    """Switch the DCS's approval on or off for the region (kept in the setting's history)."""
    require(actor, "benchmarking.manage_windows", region)
    setting = ApprovalSetting.objects.select_for_update().filter(region=region).first()
    if setting is None or setting.dcs_approval != dcs_approval:
        setting = setting or ApprovalSetting(region=region)
        setting.dcs_approval = dcs_approval
        setting._history_user = user_of(actor)  # type: ignore[attr-defined]
        setting._change_reason = "DCS approval " + ("on" if dcs_approval else "off")  # type: ignore[attr-defined]
        setting.save()
    return setting


@transaction.atomic
def return_la_approve(*, actor: User | System, return_id: int) -> Return:
    """The LA's DCS approves its submitted return (first of two approvals)."""
    ret = (
        Return.objects.select_for_update(of=("self",))
        .select_related("local_authority__region", "period")
        .get(pk=return_id, source=Source.RETURN)
    )
    require(actor, "benchmarking.la_approve_return", ret)
    if not dcs_approval_required(ret.local_authority.region_id):
        raise ValidationError(
            f"{ret.local_authority.region.name} approves returns itself; there is no DCS approval."
        )
    if ret.status != Status.SUBMITTED:
        raise ValidationError(
            "Only a submitted return can be approved; this one is "
            f"{ret.get_status_display().lower()}."
        )
    if ret.la_approved_at is not None:
        raise ValidationError("The DCS has already approved this return.")
    ret.la_approved_at = timezone.now()
    ret.la_approved_by = user_of(actor)
    ret._history_user = user_of(actor)  # type: ignore[attr-defined]
    ret._change_reason = "Approved by the LA's DCS"  # type: ignore[attr-defined]
    ret.save(update_fields=["la_approved_at", "la_approved_by", "updated_at"])
    signals.return_la_approved.send(sender=Return, return_obj=ret, actor=actor)
    return ret
