"""Page pieces the regions views share: the generic form and confirm pages, breadcrumbs, and
running a service call against a form."""

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from sli_portal.confirm import Confirmation
from sli_portal.forms import add_validation_error


def form_page(
    request: HttpRequest,
    form: Form,
    *,
    title: str,
    crumbs: list,
    cancel_url: str,
    submit: str = "Save",
    intro: str = "",
    status: int | None = None,
) -> HttpResponse:
    status = status or (400 if request.method == "POST" and form.errors else 200)
    return render(
        request,
        "regions/plan/form.html",
        {
            "form": form,
            "title": title,
            "crumbs": crumbs,
            "cancel_url": cancel_url,
            "submit": submit,
            "intro": intro,
            "multipart": any(f.widget.needs_multipart_form for f in form.fields.values()),
        },
        status=status,
    )


def deletion(
    *,
    title: str,
    question: str,
    cancel_url: str,
    crumbs,
    consequences: Sequence[str] = (),
) -> Confirmation:
    """The "Are you sure?" page of a plan deletion (sli_portal.confirm): the question as its
    heading, what will happen, and that nobody is emailed. Nothing changes until the POST; "No,
    go back" leads to `cancel_url`."""
    return Confirmation(
        question=question,
        caption=title,
        consequences=[*consequences, "The plan's history keeps a record of what is deleted."],
        irreversible="You cannot undo this.",
        confirm_label="Yes, delete",
        cancel_url=cancel_url,
        crumbs=crumbs,
    )


def plan_crumbs(plan, *more) -> list:
    return [
        (plan.region.name, plan.region.get_absolute_url()),
        ("Plans", reverse("regions:plan_list", kwargs={"slug": plan.region.slug})),
        (plan.title, plan.get_absolute_url()),
        *more,
    ]


def region_crumbs(region, label: str, url_name: str, *more) -> list:
    return [
        (region.name, region.get_absolute_url()),
        (label, reverse(url_name, kwargs={"slug": region.slug})),
        *more,
    ]


def try_service(request: HttpRequest, form: Form, call: Callable[[], Any]) -> Any:
    """Run a service call; on ValidationError put the messages on the form and return None."""
    try:
        return call()
    except ValidationError as error:
        add_validation_error(form, error)
        return None
