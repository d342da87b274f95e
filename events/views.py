from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from regions.models import LocalAuthority, Region
from regions.scope import user_scope

from . import calendar, exports, selectors, services
from .filters import EventFilter
from .forms import (
    AllocationForm,
    DelegateEditForm,
    DelegateForm,
    DocumentForm,
    EventForm,
    FeedbackForm,
    InviteByRoleForm,
    MeetingResponseForm,
    SelfRegistrationForm,
    SessionForm,
    SubstituteForm,
)
from .models import Delegate, Event, EventDocument, Session, WorkshopChoice

_FEED_SALT = "events.personal-feed"


def _apply_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _event_or_404(request, pk) -> Event:
    try:
        return selectors.event_detail(user=request.user, pk=pk)
    except Event.DoesNotExist:
        raise Http404("No such event.") from None


def _managed_event(request, pk) -> Event:
    event = _event_or_404(request, pk)
    if not request.user.has_perm("events.manage_event", event):
        raise PermissionDenied
    return event


def _delegate_or_404(request, pk) -> Delegate:
    try:
        delegate = selectors.delegate_for_change(user=request.user, pk=pk)
    except Delegate.DoesNotExist:
        raise Http404("No such delegate.") from None
    if not request.user.has_perm("events.change_delegate", delegate):
        raise PermissionDenied
    return delegate


@login_required
def event_list(request):
    event_filter = EventFilter(
        request.GET, queryset=selectors.event_list(request.user), user=request.user
    )
    scope = user_scope(request.user)
    context = {
        "filter": event_filter,
        "can_create": scope.is_admin or scope.is_programme_manager,
        "feed_url": request.build_absolute_uri(
            reverse("events:personal_feed", kwargs={"token": feed_token(request.user)})
        ),
    }
    return render(request, "events/event_list.html", context)


@login_required
def event_detail(request, pk):
    event = _event_or_404(request, pk)
    user = request.user
    scope = user_scope(user)
    my_las = [
        selectors.la_places(event=event, la=la)
        for la in LocalAuthority.objects.filter(
            pk__in=scope.las_with_role("dcs"), region_id=event.region_id
        ).order_by("name")
    ]
    can_manage = user.has_perm("events.manage_event", event)
    self_la = (
        services.self_registration_la(user, event) if event.members_may_self_register else None
    )
    context = {
        "event": event,
        "my_las": my_las,
        "can_manage": can_manage,
        "documents": selectors.event_documents(event=event),
        "meeting": selectors.meeting_summary(event=event) if can_manage else None,
        "invite_form": InviteByRoleForm() if can_manage else None,
        "my_invitation": selectors.my_invitation(user=user, event=event),
        "waiting_requests": selectors.waiting_requests(
            event=event, la_ids=[p.local_authority.pk for p in my_las]
        ),
        "clashes": selectors.event_clashes(event) if can_manage else [],
        "self_la": self_la,
        "my_places": [
            d
            for d in selectors.personal_delegations(user)
            if d.event_id == event.pk and d.is_active
        ],
    }
    return render(request, "events/event_detail.html", context)


@login_required
def event_create(request):
    scope = user_scope(request.user)
    regions = (
        Region.objects.all()
        if scope.is_admin
        else Region.objects.filter(pk__in=scope.managed_region_ids)
    )
    if not regions.exists():
        raise PermissionDenied
    form = EventForm(request.POST or None, regions=regions.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = data.pop("region")
        try:
            event = services.event_create(actor=request.user, region=region, **data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"{event.title} has been created.")
            for clash in selectors.event_clashes(event):
                messages.warning(request, f"Clash: on the same day as {clash}.")
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": None},
        status=400 if form.errors else 200,
    )


@login_required
def event_edit(request, pk):
    event = _managed_event(request, pk)
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"{event.title} has been saved.")
            for clash in selectors.event_clashes(event):
                messages.warning(request, f"Clash: on the same day as {clash}.")
            return redirect(event)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def event_cancel(request, pk):
    event = _managed_event(request, pk)
    services.event_cancel(actor=request.user, event=event)
    messages.success(request, f"{event.title} has been cancelled; its delegates are being told.")
    return redirect(event)


@login_required
def session_create(request, pk):
    event = _managed_event(request, pk)
    form = SessionForm(request.POST or None, initial={"starts_at": event.starts_at})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            kind = "Workshop" if session.is_workshop else "Session"
            messages.success(request, f"{kind} “{session.title}” added to the programme.")
            if "add_another" in request.POST:
                return redirect("events:session_create", pk=event.pk)
            return redirect(event)
    return render(
        request,
        "events/session_form.html",
        {"form": form, "event": event},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def session_delete(request, pk):
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    event = _managed_event(request, session.event_id)
    try:
        services.session_delete(actor=request.user, session=session)
        messages.success(request, f"“{session.title}” removed from the programme.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(event)


@login_required
def allocations(request, pk):
    event = _managed_event(request, pk)
    rows = selectors.registrations_by_la(event=event)
    form = AllocationForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            changed = 0
            for la, places in form.changed_places():
                services.allocation_set(
                    actor=request.user, event=event, local_authority=la, places=places
                )
                changed += 1
        except ValidationError as error:
            # A request is one transaction: nothing above is kept when one LA is refused.
            from django.db import transaction

            transaction.set_rollback(True)
            form.add_error(None, error)
        else:
            messages.success(request, f"Places changed for {changed} local authorities.")
            return redirect("events:registrations", pk=event.pk)
    return render(
        request,
        "events/allocations.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def registrations(request, pk):
    event = _managed_event(request, pk)
    rows = selectors.registrations_by_la(event=event)
    context = {
        "event": event,
        "rows": rows,
        "total_places": sum(row.places for row in rows),
        "total_used": sum(row.used for row in rows),
        "workshops": selectors.workshops_of(event),
        "pool_requests": selectors.pool_requests(event=event),
    }
    return render(request, "events/registrations.html", context)


@login_required
def delegate_create(request, pk, la_slug):
    event = _event_or_404(request, pk)
    la = get_object_or_404(LocalAuthority, slug=la_slug, region_id=event.region_id)
    if not request.user.has_perm("events.register_for_la", la):
        raise PermissionDenied
    workshops = selectors.workshops_of(event)
    form = DelegateForm(request.POST or None, event=event, workshops=workshops)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delegate = services.delegate_register(
                    actor=request.user,
                    event=event,
                    local_authority=la,
                    full_name=data["full_name"],
                    email=data["email"],
                    job_title=data["job_title"],
                    dietary_needs=data["dietary_needs"],
                    access_needs=data["access_needs"],
                    workshops=form.chosen_workshops(),
                )
            except ValidationError as error:
                _apply_error(form, error)
            else:
                messages.success(
                    request,
                    f"{delegate.full_name} is registered for {event.title}. "
                    "A confirmation email is on its way.",
                )
                return redirect(event)
        status = 400
    places = selectors.la_places(event=event, la=la)
    context = {"event": event, "la": la, "form": form, "places": places}
    return render(request, "events/delegate_form.html", context, status=status)


@login_required
def register_self(request, pk):
    event = _event_or_404(request, pk)
    la = (
        services.self_registration_la(request.user, event)
        if event.members_may_self_register
        else None
    )
    if la is None:
        raise PermissionDenied
    form = SelfRegistrationForm(
        request.POST or None,
        event=event,
        workshops=selectors.workshops_of(event),
        initial={"job_title": request.user.job_title},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.delegate_register_self(
                    actor=request.user,
                    event=event,
                    job_title=data["job_title"],
                    dietary_needs=data["dietary_needs"],
                    access_needs=data["access_needs"],
                    workshops=form.chosen_workshops(),
                )
            except ValidationError as error:
                _apply_error(form, error)
            else:
                messages.success(request, f"You are registered for {event.title}.")
                return redirect(event)
        status = 400
    context = {"event": event, "la": la, "form": form}
    return render(request, "events/register_self.html", context, status=status)


@login_required
def delegate_edit(request, pk):
    delegate = _delegate_or_404(request, pk)
    event = delegate.event
    form = DelegateEditForm(
        request.POST or None,
        event=event,
        workshops=selectors.workshops_of(event),
        delegate=delegate,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.delegate_update(
                actor=request.user,
                delegate=delegate,
                job_title=data["job_title"],
                workshops=form.chosen_workshops() if form.has_workshops else None,
                dietary_needs=data["dietary_needs"] or None,
                access_needs=data["access_needs"] or None,
            )
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"{delegate.full_name}'s details have been saved.")
            return redirect(event)
    context = {"delegate": delegate, "event": event, "form": form}
    return render(request, "events/delegate_edit.html", context, status=400 if form.errors else 200)


@login_required
def delegate_substitute(request, pk):
    delegate = _delegate_or_404(request, pk)
    previous = delegate.full_name
    form = SubstituteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delegate = services.delegate_substitute(
                actor=request.user, delegate=delegate, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(
                request,
                f"{delegate.full_name} now has {previous}'s place. Both have been emailed.",
            )
            return redirect(delegate.event)
    context = {"delegate": delegate, "event": delegate.event, "form": form}
    return render(
        request, "events/delegate_substitute.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def delegate_cancel(request, pk):
    delegate = _delegate_or_404(request, pk)
    try:
        services.delegate_cancel(actor=request.user, delegate=delegate)
        messages.success(request, f"{delegate.full_name}'s place has been cancelled.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(delegate.event)


@login_required
@require_POST
def delegate_check_in(request, pk):
    delegate = _delegate_or_404(request, pk)
    if not request.user.has_perm("events.manage_event", delegate.event):
        raise PermissionDenied
    attended = request.POST.get("attended", "1") == "1"
    try:
        services.delegate_check_in(actor=request.user, delegate=delegate, attended=attended)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{delegate.full_name} {'checked in' if attended else 'marked as not attended'}.",
        )
    return redirect("events:registrations", pk=delegate.event_id)


@login_required
@require_POST
def workshop_allocate(request, pk):
    event = _managed_event(request, pk)
    try:
        result = services.workshop_allocate(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Workshops allocated: {result['allocated']} delegates placed, "
            f"{result['unplaced']} without a place in any workshop they chose.",
        )
    return redirect("events:registrations", pk=event.pk)


@login_required
def export(request, pk, what, fmt):
    event = _managed_event(request, pk)
    if what not in exports.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404("No such export.")
    title, build = exports.EXPORTS[what]
    header, rows = build(selectors.event_delegates(event=event))
    filename = f"event-{event.pk}-{what}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            exports.to_csv(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.to_xlsx(title, header, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def event_ics(request, pk):
    event = _event_or_404(request, pk)
    body = calendar.calendar_bytes([(event, False)], name=event.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def feed_token(user) -> str:
    return signing.Signer(salt=_FEED_SALT).sign(str(user.pk))


def personal_feed(request, token):
    """A calendar app subscribes with this secret link (it cannot sign in)."""
    try:
        user_pk = signing.Signer(salt=_FEED_SALT).unsign(token)
    except signing.BadSignature:
        raise Http404("No such calendar.") from None
    user = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    entries = [
        (delegate.event, not delegate.is_active)
        for delegate in selectors.personal_delegations(user)
        if delegate.event.status != "draft"
    ]
    body = calendar.calendar_bytes(entries, name="My SLI events")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
@require_POST
def meeting_invite(request, pk):
    event = _managed_event(request, pk)
    form = InviteByRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who to invite.")
        return redirect(event)
    try:
        count = services.meeting_invite(
            actor=request.user, event=event, role=form.cleaned_data["role"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{count} people invited; each will get an email.")
    return redirect(event)


@login_required
def meeting_respond(request, pk):
    event = _event_or_404(request, pk)
    invitation = selectors.my_invitation(user=request.user, event=event)
    if invitation is None:
        raise PermissionDenied
    form = MeetingResponseForm(
        request.POST or None,
        initial={
            "response": invitation.response if invitation.response != "invited" else None,
            "deputy_name": invitation.deputy_name,
            "deputy_email": invitation.deputy_email,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invitee_respond(
                actor=request.user,
                event=event,
                attending=data["response"] == "attending",
                deputy_name=data["deputy_name"],
                deputy_email=data["deputy_email"],
            )
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Thank you: your reply has been recorded.")
            return redirect(event)
    return render(
        request,
        "events/meeting_respond.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def pool_release(request, pk):
    event = _managed_event(request, pk)
    try:
        released = services.pool_release(actor=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{released} unused places moved to the regional pool.")
    return redirect("events:registrations", pk=event.pk)


@login_required
@require_POST
def place_request(request, pk, la_slug):
    event = _event_or_404(request, pk)
    la = get_object_or_404(LocalAuthority, slug=la_slug, region_id=event.region_id)
    if not request.user.has_perm("events.register_for_la", la):
        raise PermissionDenied
    try:
        place = services.place_request(actor=request.user, event=event, local_authority=la)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if place.status == "granted":
            messages.success(request, f"{la.name} has been given an extra place.")
        else:
            messages.success(
                request,
                f"{la.name} is on the waiting list; places are shared fairly between LAs "
                "as they come free.",
            )
    return redirect(event)


@login_required
def feedback_results(request, pk):
    event = _managed_event(request, pk)
    context = {"event": event, "summary": selectors.feedback_summary(event=event)}
    return render(request, "events/feedback_results.html", context)


def feedback(request, token):
    """The link in the feedback email is the delegate's credential (they may have no account)."""
    delegate = services.delegate_from_feedback_token(token)
    if delegate is None:
        raise Http404("This feedback link is not valid.")
    form = FeedbackForm(request.POST or None)
    done = hasattr(delegate, "feedback")
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(delegate=delegate, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            return render(request, "events/feedback_thanks.html", {"event": delegate.event})
    return render(
        request,
        "events/feedback_form.html",
        {"event": delegate.event, "delegate": delegate, "form": form, "done": done},
        status=400 if form.errors else 200,
    )


@login_required
def document_add(request, pk):
    event = _managed_event(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_add(
                actor=request.user,
                event=event,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, f"“{document.title}” added.")
            return redirect(event)
    return render(
        request,
        "events/document_form.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )


def _document_or_404(request, pk) -> EventDocument:
    document = get_object_or_404(EventDocument.objects.select_related("event"), pk=pk)
    if not request.user.has_perm("events.view_event", document.event):
        raise Http404("No such document.")
    return document


@login_required
def document_download(request, pk):
    from django.http import FileResponse

    document = _document_or_404(request, pk)
    filename = document.file.name.rsplit("/", 1)[-1]
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_delete(request, pk):
    document = _document_or_404(request, pk)
    if not request.user.has_perm("events.manage_event", document.event):
        raise PermissionDenied
    services.document_delete(actor=request.user, document=document)
    messages.success(request, f"“{document.title}” removed.")
    return redirect(document.event)


@login_required
def workshop_register(request, pk, session_pk):
    event = _managed_event(request, pk)
    try:
        session, choices = selectors.workshop_register(event=event, session_pk=session_pk)
    except Session.DoesNotExist:
        raise Http404("No such workshop.") from None
    context = {"event": event, "session": session, "choices": choices}
    return render(request, "events/workshop_register.html", context)


@login_required
@require_POST
def workshop_check_in(request, pk):
    choice = get_object_or_404(
        WorkshopChoice.objects.select_related("delegate__event", "session"), pk=pk
    )
    event = _managed_event(request, choice.delegate.event_id)
    attended = request.POST.get("attended", "1") == "1"
    try:
        services.workshop_check_in(actor=request.user, choice=choice, attended=attended)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("events:workshop_register", pk=event.pk, session_pk=choice.session_id)
