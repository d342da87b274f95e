"""The return's entry form: type values in the browser, each row checked and saved as a draft
(htmx posts one row on change; without JavaScript the whole form posts), then submit.

Who may see the return but not edit it gets 403; who may not see it 404 (as the return's other
pages). A return that is not a draft is shown read-only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sli_portal import access, fragments

from .. import services
from ..domain.validation import Issue
from ..selectors import entry as entry_selectors
from ..selectors import return_for
from ..services.entry import EntryResult, IndicatorNotAsked, value_enter
from .returns import SEE, _return

EDIT = "benchmarking.edit_return"
PAGE = "benchmarking/entry/entry.html"
ROW = "benchmarking/entry/_row.html"


def _posted_cells(post, code: str) -> dict[str, str]:
    return {name: post.get(f"{code}-{name}", "") for name in entry_selectors.CELLS}


def _apply(row: entry_selectors.EntryRow, result: EntryResult, cells: dict[str, str]) -> None:
    """What the row shows after a save: the saved value, or the typed cells with their errors,
    or (on a conflict) the newer value with what was typed kept for the user to compare."""
    row.errors, row.saved = result.errors, result.saved
    row.conflict = result.conflict
    if result.conflict is not None:
        row.value = result.conflict
        row.version = result.version
        row.cells = entry_selectors.value_cells(result.conflict)
        row.warning = result.conflict.warning
        row.errors = [
            Issue(
                "Someone else saved this value while you were typing; it now shows their "
                f"figures. You typed {_typed(cells)}: enter it again if it is still right.",
                column="version",
            )
        ]
        return
    if result.errors:
        row.cells = cells
        return
    row.value = result.value
    row.version = result.version
    row.cells = entry_selectors.value_cells(result.value)
    row.warning = result.value.warning if result.value is not None else ""


def _typed(cells: dict[str, str]) -> str:
    shown = [f"{name.replace('_', ' ')} '{text}'" for name, text in cells.items() if text]
    return ", ".join(shown[:4]) or "nothing"


def _context(request, la, period, ret, rows, **extra):
    """The page's context; `rows` a list, or `fragments.lazy` of one (then what depends on the
    rows is lazy too, computed only if the body is rendered; `ret` may then be lazy too)."""
    user = request.user

    def editable():
        current = ret() if isinstance(ret, fragments.lazy) else ret
        return current is not None and access.can(user, "benchmarking.change_return", current)

    def errors():
        return [(row, issue) for row in rows for issue in row.errors]

    lazy = isinstance(rows, fragments.lazy)
    return {
        "la": la,
        "period": period,
        "ret": ret,
        "groups": (
            fragments.lazy(lambda: entry_selectors.entry_groups(rows()))
            if lazy
            else entry_selectors.entry_groups(rows)
        ),
        "editable": fragments.lazy(editable) if lazy else editable(),
        # The row URL is the entry URL and the indicator's code (one reverse for all rows).
        "entry_url": reverse("benchmarking:return_entry", args=[la.slug, period.slug]),
        # A GET's rows come straight from the database: no errors (and the page's title,
        # outside the cached body, need not read them).
        "error_list": [] if lazy else errors(),
        "detail_url": reverse(
            "benchmarking:return_detail", kwargs={"la_slug": la.slug, "period_slug": period.slug}
        ),
        "body": None,
        **extra,
    }


def _enter_row(request, la, period, row) -> None:
    cells = _posted_cells(request.POST, row.code)
    try:
        result = value_enter(
            actor=request.user,
            local_authority=la,
            period=period,
            code=row.code,
            cells=cells,
            version=request.POST.get(f"{row.code}-version", ""),
        )
    except ValidationError as error:
        row.errors = [Issue(message, column="row") for message in error.messages]
        row.cells = cells
        return
    _apply(row, result, cells)


def _entry_return(request, la_slug, period_slug):
    """(LA, period, return) as ``_return`` gives them, for one who may edit it: a started
    return in one query (with its LA, region and quarter), otherwise as ``_return``."""
    ret = entry_selectors.return_by_slugs(la_slug=la_slug, period_slug=period_slug)
    if ret is None:
        return _return(request, la_slug, period_slug, act=EDIT)
    access.require_visible(request.user, ret, see=SEE, act=EDIT)
    return ret.local_authority, ret.period, ret


@login_required
@require_http_methods(["GET", "POST"])
def return_entry(request, la_slug, period_slug):
    la, period, ret = _entry_return(request, la_slug, period_slug)
    saved = ret if ret.pk else None
    if request.method == "GET":
        # The form is kept per version of its rows and per viewer (sli_portal.fragments): on
        # a warm cache nothing below is computed. A POST's page (typed values, errors) is
        # never kept nor served from the cache (its `body` is None).
        # The body reads the return again after its stamp: a submit or a first value committed
        # since the fetch above is never kept under the newer stamp with the older status.
        fresh = fragments.lazy(lambda: entry_selectors.entry_return(la=la, period=period) or ret)
        rows = fragments.lazy(
            lambda: entry_selectors.entry_rows(
                la=la, period=period, ret=fresh() if fresh().pk else None
            )
        )
        context = {
            **_context(request, la, period, fresh, rows),
            "body": fragments.Fragment(
                request,
                "benchmarking:return_entry",
                lambda: entry_selectors.entry_page_rows(la=la, period=period),
                rows_key=(la.pk, la.region_id, period.pk),
            ),
        }
        return render(request, PAGE, context)
    rows = entry_selectors.entry_rows(la=la, period=period, ret=saved)
    if saved is not None and not access.can(request.user, "benchmarking.change_return", saved):
        messages.error(request, "This return is not a draft: its values cannot change.")
        return render(request, PAGE, _context(request, la, period, saved, rows), status=400)
    for row in rows:
        if _posted_cells(request.POST, row.code) != row.cells:
            _enter_row(request, la, period, row)
    ret = return_for(la=la, period=period) or ret
    if any(row.errors for row in rows):
        return render(request, PAGE, _context(request, la, period, ret, rows), status=400)
    if request.POST.get("action") == "submit":
        try:
            services.return_submit(actor=request.user, return_id=ret.pk)
        except ValidationError as error:
            submit_errors = error.messages
            context = _context(request, la, period, ret, rows, submit_errors=submit_errors)
            return render(request, PAGE, context, status=400)
        messages.success(request, "Return submitted to the programme manager.")
        return redirect(_context(request, la, period, ret, [])["detail_url"])
    messages.success(request, "Draft saved.")
    return redirect(reverse("benchmarking:return_entry", args=[la.slug, period.slug]))


@login_required
@require_POST
def return_entry_row(request, la_slug, period_slug, code):
    """One row checked and saved (htmx): the row again, with its saved value or its errors.
    The service reads the indicator and the value (under the return's lock); the row is built
    from what it answers, plus the LA's earlier figures."""
    la, period, ret = _entry_return(request, la_slug, period_slug)
    cells = _posted_cells(request.POST, code)
    try:
        result = value_enter(
            actor=request.user,
            local_authority=la,
            period=period,
            code=code,
            cells=cells,
            version=request.POST.get(f"{code}-version", ""),
        )
    except IndicatorNotAsked:
        raise Http404("The return does not ask for this indicator.") from None
    except ValidationError as error:  # e.g. not a draft, the window closed: the row as it stands
        rows = entry_selectors.entry_rows(
            la=la, period=period, ret=ret if ret.pk else None, code=code
        )
        if not rows:
            raise Http404("The return does not ask for this indicator.") from None
        row = rows[0]
        row.errors = [Issue(message, column="row") for message in error.messages]
        row.cells = cells
    else:
        row = entry_selectors.entry_row(
            la=la, period=period, indicator=result.indicator, value=result.value
        )
        _apply(row, result, cells)
    # The return's status is as loaded: a save refuses anything but a draft.
    context = _context(request, la, period, ret, [row])
    return render(request, ROW, {**context, "row": row})
