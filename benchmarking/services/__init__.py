"""Writes for benchmarking (services write, selectors read), split by noun:

* ``reference``: indicators (shipped catalogue, local indicators), return windows
* ``published``: DfE published annual figures (``import_published_data``)
* ``uploads``: a quarterly return file, or a region's bulk file
* ``entry``: one value typed on the return's entry form (the upload's checks and history)
* ``returns``: comments, submit / approve / lock / reopen
* ``chasing``: chase emails before and after the due date

Every public function takes the acting user (or ``SYSTEM``) as ``actor`` and checks permission
first with ``sli_portal.access.require``.
"""

from .approvals import approval_setting_save, return_la_approve
from .chasing import chases_record_due
from .entry import EntryResult, value_enter
from .published import ImportReport, published_data_import
from .reference import IndicatorLoadReport, indicator_create_local, indicators_load, window_save
from .returns import (
    return_approve,
    return_lock,
    return_reopen,
    return_submit,
    returns_lock_due,
    value_comment,
)
from .uploads import UploadRejected, UploadResult, return_upload

__all__ = [
    "EntryResult",
    "ImportReport",
    "IndicatorLoadReport",
    "UploadRejected",
    "UploadResult",
    "approval_setting_save",
    "chases_record_due",
    "indicator_create_local",
    "indicators_load",
    "published_data_import",
    "return_approve",
    "return_la_approve",
    "return_lock",
    "return_reopen",
    "return_submit",
    "return_upload",
    "returns_lock_due",
    "value_comment",
    "value_enter",
    "window_save",
]
