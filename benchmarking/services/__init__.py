"""Writes for benchmarking (services write, selectors read). Split by subject:

* ``reference``: indicators (shipped catalogue, local indicators), periods, return windows
* ``published_import``: DfE published annual figures (``import_published_data``)
* ``returns``: quarterly return upload, comments, submit / approve / lock / reopen
* ``chasing``: chase emails before and after the due date
"""

from .chasing import chase_send, chases_record_due
from .published_import import (
    DATA_DIR,
    VALUE_FIELDS,
    ImportReport,
    published_data_import,
    published_files_default,
    published_paths,
)
from .reference import (
    default_window_dates,
    fiscal_year_of,
    indicator_create_local,
    indicators_load,
    period_for_quarter,
    period_for_year,
    quarter_dates,
    return_indicators,
    window_save,
)
from .returns import (
    UploadRejected,
    UploadResult,
    return_approve,
    return_lock,
    return_missing,
    return_reopen,
    return_submit,
    return_upload,
    returns_lock_due,
    value_comment,
)

__all__ = [
    "DATA_DIR",
    "VALUE_FIELDS",
    "ImportReport",
    "UploadRejected",
    "UploadResult",
    "chase_send",
    "chases_record_due",
    "default_window_dates",
    "fiscal_year_of",
    "indicator_create_local",
    "indicators_load",
    "period_for_quarter",
    "period_for_year",
    "published_data_import",
    "published_files_default",
    "published_paths",
    "quarter_dates",
    "return_approve",
    "return_indicators",
    "return_lock",
    "return_missing",
    "return_reopen",
    "return_submit",
    "return_upload",
    "returns_lock_due",
    "value_comment",
    "window_save",
]
