"""Feedback after an event: the survey behind the emailed link, and the results."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from sli_portal import access
from sli_portal.forms import add_validation_error

from ..forms import FeedbackForm
from ..selectors.feedback import delegate_from_feedback_token, feedback_summary
from ..services import feedback as feedback_services
from ._common import managed_event


@login_required
def feedback_results(request, pk):
    event = managed_event(request, pk)
    context = {"event": event, "summary": feedback_summary(event=event)}
    return render(request, "events/feedback_results.html", context)


def feedback(request, token):
    """The link in the feedback email is the delegate's credential (they may have no account)."""
    delegate = delegate_from_feedback_token(token)
    if delegate is None:
        raise Http404("This feedback link is not valid.")
    form = FeedbackForm(request.POST or None)
    done = hasattr(delegate, "feedback")
    if request.method == "POST" and form.is_valid():
        try:
            # The signed link is the credential (the person may have no account): the portal
            # records the answers for the delegate it was sent to.
            feedback_services.feedback_submit(
                actor=access.SYSTEM, delegate=delegate, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return render(request, "events/feedback_thanks.html", {"event": delegate.event})
    return render(
        request,
        "events/feedback_form.html",
        {"event": delegate.event, "delegate": delegate, "form": form, "done": done},
        status=400 if form.errors else 200,
    )
