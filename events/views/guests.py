"""Guest places: the programme manager grants them to partner organisations; a partner takes one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sli_portal import access
from sli_portal.confirm import Confirmation, confirm_page

from ..forms import GuestPlacesForm
from ..models import GuestDelegate
from ..selectors import guests as guest_selectors
from ..services import guests as guest_services
from ._common import MANAGE, VIEW, event_for, managed_event

GUEST = "events.register_as_guest"


@login_required
def guest_places(request, pk):
    event = managed_event(request, pk, programme=False)
    form = GuestPlacesForm(
        request.POST or None, organisations=guest_selectors.partner_organisations(event=event)
    )
    if request.method == "POST" and form.is_valid():
        try:
            granted = guest_services.guest_places_grant(
                actor=request.user,
                event=event,
                organisation=form.cleaned_data["organisation"],
                places=form.cleaned_data["places"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"{granted.organisation.name} has {granted.places} guest "
                f"place{'' if granted.places == 1 else 's'} at {event.title}.",
            )
            return redirect("events:guest_places", pk=event.pk)
    context = {
        "event": event,
        "form": form,
        "guest_places": guest_selectors.guest_places_of(event=event),
    }
    return render(request, "events/guest_places.html", context, status=400 if form.errors else 200)


@login_required
def guest_register(request, pk):
    event = event_for(request, pk, act=GUEST, programme=False)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                if guest_services.guest_cancel_self(actor=request.user, event=event):
                    messages.success(request, f"You have given back your place at {event.title}.")
            else:
                guest_services.guest_register_self(actor=request.user, event=event)
                messages.success(request, f"You are registered for {event.title}.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("events:guest_register", pk=event.pk)
    guest_place, held = guest_selectors.my_guest_place(user=request.user, event=event)
    if request.method != "POST" and request.GET.get("action") == "cancel" and held:
        return confirm_page(request, _give_back_confirmation(event, guest_place))
    context = {"event": event, "guest_place": guest_place, "held": held, "error": error}
    return render(request, "events/guest_register.html", context, status=400 if error else 200)


def _give_back_confirmation(event, guest_place) -> Confirmation:
    """ "Are you sure?" before a partner gives back their guest place (?action=cancel)."""
    back = reverse("events:guest_register", kwargs={"pk": event.pk})
    return Confirmation(
        question=f"Are you sure you want to give back your place at {event.title}?",
        caption=event.title,
        consequences=[
            f"Your place goes back to {guest_place.organisation.name}'s guest places: a "
            "colleague can take it at once.",
            "If you want it again later, you can only have it while a guest place is free.",
        ],
        confirm_label="Yes, give back my place",
        cancel_url=back,
        cancel_label="No, keep my place",
        action_url=back,
        hidden={"action": "cancel"},
        crumbs=[
            ("Events", reverse("events:event_list")),
            (event.title, event.get_absolute_url()),
            ("Give back my place", ""),
        ],
    )


@login_required
@require_POST
def guest_check_in(request, pk):
    """The organisers check a partner on a guest place in (or undo it): 404 for a guest of an
    event the user cannot see, 403 for one they see but do not organise."""
    guest = get_object_or_404(
        GuestDelegate.objects.select_related("guest_place__event__region"), pk=pk
    )
    event = access.require_visible(request.user, guest.guest_place.event, see=VIEW, act=MANAGE)
    attended = request.POST.get("attended", "1") == "1"
    try:
        guest_services.guest_check_in(actor=request.user, guest=guest, attended=attended)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{guest.full_name} {'checked in' if attended else 'marked as not attended'}."
        )
    return redirect("events:registrations", pk=event.pk)
