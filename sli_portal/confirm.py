"""One "Are you sure?" mechanism for every destructive or mass-email action (issue 14).

An action's URL answers GET with a confirmation page (templates/includes/confirm_page.html):
what will happen, who will be told, a warning when it cannot be undone, a "Yes, ..." button and
a "No, go back" link. Only the POST does it. The view fetches its object first (so outsiders get
the same 404/403 on GET as on POST and never see the page), then hands both halves here:

    @login_required
    def session_delete(request, pk):
        session = ...  # 404/403 as before
        return confirm_or_do(
            request,
            page=lambda: Confirmation(
                question=f"Remove “{session.title}” from the programme?",
                consequences=[...],
                confirm_label="Yes, remove the session",
                cancel_url=event.get_absolute_url(),
            ),
            do=lambda: ...,  # the service call and the redirect, as before
        )

`page` is a function so the counts it shows are only queried for the GET. The service called by
`do` checks permission itself, as every public service does.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

TEMPLATE = "includes/confirm_page.html"


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page says (see the comment in the template)."""

    question: str  # the heading and page title: "Are you sure you want to ...?"
    cancel_url: str  # "No, go back" leads here; nothing changes
    confirm_label: str = "Yes, continue"
    caption: str = ""  # the thing acted on, above the heading
    consequences: Sequence[str] = ()  # what will happen, one sentence each
    notified: Sequence[str] = ()  # who will be told, and how; empty: nobody
    irreversible: str = ""  # a warning, when it cannot be undone
    cancel_label: str = ""
    action_url: str = ""  # where the form posts (default: this page)
    hidden: Mapping[str, str] = field(default_factory=dict)  # fields posted back
    crumbs: Sequence[tuple[str, str]] = ()

    def context(self) -> dict:
        return {
            "title": self.question,
            "caption": self.caption,
            "consequences": list(self.consequences),
            "notified": list(self.notified),
            "irreversible": self.irreversible,
            "confirm_label": self.confirm_label,
            "cancel_url": self.cancel_url,
            "cancel_label": self.cancel_label,
            "action_url": self.action_url,
            "hidden": dict(self.hidden),
            "crumbs": list(self.crumbs),
        }


def confirm_page(
    request: HttpRequest, confirmation: Confirmation, *, status: int = 200
) -> HttpResponse:
    return render(request, TEMPLATE, confirmation.context(), status=status)


def confirm_or_do(
    request: HttpRequest,
    *,
    page: Callable[[], Confirmation],
    do: Callable[[], HttpResponse],
) -> HttpResponse:
    """GET (or HEAD): the confirmation page, and nothing changes. POST: `do()`. Anything else:
    405."""
    if request.method == "POST":
        return do()
    if request.method in ("GET", "HEAD"):
        return confirm_page(request, page())
    return HttpResponseNotAllowed(["GET", "POST"])


def flash_outcome(
    request: HttpRequest, call: Callable[[], object], success: str | Callable[[object], str]
) -> bool:
    """Run a service call: its ValidationError becomes an error message, else `success` (a text,
    or a function of the call's result) a success message. True when it succeeded."""
    try:
        result = call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True
