"""Typing a value and uploading it are one set of checks and one history: every case of the
bad-file corpus that concerns one value, fed through both paths, ends the same way (the same
errors in the same words and places, or the same saved value and version)."""

from decimal import Decimal

import pytest
from django.db import transaction

from benchmarking import services
from benchmarking.domain import files
from benchmarking.domain.validation import COLUMNS
from benchmarking.models import Return, Value
from benchmarking.selectors import template_rows
from benchmarking.selectors.entry import CELLS, value_version
from benchmarking.services import UploadRejected
from tests.benchmarking.badfiles import COL, corpus
from tests.benchmarking.factories import return_rows, to_csv

# Besides the indicator a case was written for, its typed cells go into these (a count-like
# rate, a percentage under rules, a percentage and a ratio with a valid range).
ALSO_INTO = ["REF_RATE", "CPP_RATE", "CLA_RATE", "CL_EET_PCT", "SW_CASELOAD"]
FIELDS = ["value", "numerator", "denominator", "suppression", "suppression_reason", "comment"]


class _Stub:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def _raw_rows(name: str, data: bytes) -> list[list[str]] | None:
    """The file's rows before any check of their cells (None when the file itself is bad)."""
    try:
        if data.startswith(files.XLSX_MAGIC):
            return files._read_xlsx(data).rows
        if name.endswith(".csv"):
            return files._read_csv(data).rows
    except files.FileRejected:
        return None
    return None


def single_value_cases() -> list[tuple[str, str, dict[str, str]]]:
    """(case id, indicator code, typed cells) of each corpus file that differs from the good
    file in the typed cells of one row only; then the same cells typed into ALSO_INTO."""
    la = _Stub(gss_code="E06000066", name="Somerset")
    period = _Stub(label="2026-27 Q1")
    good = return_rows(la, period)
    found = []
    for case_id, name, data, _message in corpus(la, _Stub(gss_code="E1", name="Y"), period):
        rows = _raw_rows(name, data)
        if rows is None or len(rows) != len(good) or rows[0][: len(COLUMNS)] != good[0]:
            continue
        changed = [
            (row, before)
            for row, before in zip(rows[1:], good[1:], strict=True)
            if list(row) + [""] * (len(COLUMNS) - len(row)) != before
        ]
        if len(changed) != 1:
            continue
        row, before = changed[0]
        row = row + [""] * (len(COLUMNS) - len(row))
        if any(row[COL[c]] != before[COL[c]] for c in COL if c not in CELLS):
            continue  # the LA, period or indicator: not something one types into a cell
        found.append((case_id, before[COL["indicator_code"]], {c: row[COL[c]] for c in CELLS}))
    cases = list(found)
    for case_id, code, cells in found:
        for other in ALSO_INTO:
            if other != code:
                cases.append((f"{case_id}@{other}", other, cells))
    return cases


CASES = single_value_cases()


def test_about_two_hundred_single_value_cases_come_from_the_corpus():
    originals = {case_id for case_id, _, _ in CASES if "@" not in case_id}
    assert len(originals) >= 30, sorted(originals)
    assert len(CASES) >= 190


def _outcome_of_upload(world, period, code, cells):
    la = world.home_la
    rows = template_rows(las=[la], period=period, region=la.region)
    for row in rows[1:]:
        if row[COL["indicator_code"]] == code:
            row[COL["value"]] = ""  # the template's derived value: typed cells only
            for name in CELLS:
                row[COL[name]] = cells[name]
    try:
        services.return_upload(
            actor=world.users["performance_lead"],
            period=period,
            file_name="r.csv",
            # As Excel saves "CSV UTF-8": with a byte-order mark (a NUL typed into a cell is
            # then found in its cell, as the entry form finds it).
            data=b"\xef\xbb\xbf" + to_csv(rows),
            local_authority=la,
        )
    except UploadRejected as rejected:
        return _errors(rejected.issues), None
    return [], _saved(la, period, code)


def _outcome_of_entry(world, period, code, cells):
    la = world.home_la
    current = Value.objects.get(return_obj__local_authority=la, indicator__code=code)
    result = services.value_enter(
        actor=world.users["performance_lead"],
        local_authority=la,
        period=period,
        code=code,
        cells=cells,
        version=value_version(current),
    )
    if result.errors:
        return _errors(result.errors), None
    return [], _saved(la, period, code)


def _errors(issues):
    return sorted((issue.row or 0, issue.column, issue.message) for issue in issues)


def _saved(la, period, code):
    value = Value.objects.get(return_obj__local_authority=la, indicator__code=code)
    versions = list(value.history.order_by("-history_id"))
    latest = versions[0]
    return (
        tuple(getattr(value, f) for f in [*FIELDS, "warning"]),
        len(versions),
        (latest.history_type, latest.history_user_id),
        tuple(getattr(latest, f) for f in FIELDS),
    )


def _rolled_back(run, *args):
    """What `run` does, undone afterwards (each path starts from the same return)."""
    with transaction.atomic():
        outcome = run(*args)
        transaction.set_rollback(True)
    return outcome


@pytest.fixture
def first_return(world, quarter):
    services.return_upload(
        actor=world.users["performance_lead"],
        period=quarter,
        file_name="first.csv",
        data=to_csv(return_rows(world.home_la, quarter)),
        local_authority=world.home_la,
    )
    return quarter


def test_entry_and_upload_end_the_same_way_for_every_single_value_case(world, first_return):
    period = first_return
    differ, refused, saved = [], 0, 0
    for case_id, code, cells in CASES:
        by_upload = _rolled_back(_outcome_of_upload, world, period, code, cells)
        by_entry = _rolled_back(_outcome_of_entry, world, period, code, cells)
        if by_upload != by_entry:
            differ.append((case_id, by_upload, by_entry))
        refused += bool(by_upload[0])
        saved += by_upload[1] is not None
    assert differ == []
    # Most cases are refused; the rest save the same value, version and who.
    assert refused > 150 and saved > 5, (refused, saved)
    assert Return.objects.get().values.get(indicator__code="REREF_PCT").value == Decimal("22")
