from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sli_portal.forms import add_validation_error

from . import selectors, services
from .filters import LocalAuthorityFilter
from .forms import InvitationAcceptForm, InvitationForm
from .models import Invitation, LocalAuthority, Region


@login_required
def region_list(request):
    return render(request, "regions/region_list.html", {"regions": selectors.region_list()})


@login_required
def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    context = {
        "region": region,
        "local_authorities": selectors.region_las_with_leads(region=region, user=request.user),
        "programme_managers": selectors.region_programme_managers(region=region, user=request.user),
        "invitations": selectors.region_invitations(region=region, user=request.user),
        "can_see_people": request.user.has_perm("regions.view_people", region),
        "can_invite": request.user.has_perm("regions.invite_people", region),
    }
    return render(request, "regions/region_detail.html", context)


@login_required
def la_list(request):
    la_filter = LocalAuthorityFilter(request.GET, queryset=selectors.la_list())
    return render(request, "regions/la_list.html", {"filter": la_filter})


@login_required
def la_detail(request, slug):
    try:
        la = selectors.la_detail(slug=slug)
    except LocalAuthority.DoesNotExist:
        raise Http404("No such local authority.") from None
    context = {"la": la, "people": selectors.la_people(user=request.user, la=la)}
    return render(request, "regions/la_detail.html", context)


@login_required
def invitation_create(request, slug):
    region = get_object_or_404(Region, slug=slug)
    if not request.user.has_perm("regions.invite_people", region):
        raise PermissionDenied
    form = InvitationForm(
        request.POST or None,
        region=region,
        initial={"local_authority": request.GET.get("local_authority")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                region=region,
                local_authority=data["local_authority"],
                position=data["position"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request, f"Invitation sent to {invitation.email}. The link is valid for 7 days."
            )
            return redirect(region)
    return render(request, "regions/invitation_form.html", {"region": region, "form": form})


def _invitation_for_manager(request, pk) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("region", "local_authority__region"), pk=pk
    )
    if not request.user.has_perm("regions.invite_people", invitation.scope):
        raise PermissionDenied
    return invitation


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = _invitation_for_manager(request, pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
        messages.success(request, f"A new link has been sent to {invitation.email}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(invitation.target_region)


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = _invitation_for_manager(request, pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
        messages.success(request, f"The invitation for {invitation.email} has been withdrawn.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(invitation.target_region)


def invitation_accept(request, token):
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "regions/invitation_invalid.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else InvitationAcceptForm(request.POST or None, email=invitation.email)
    error = None
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            user = services.invitation_accept(
                invitation=invitation,
                user=request.user if signed_in else None,
                full_name="" if signed_in else form.cleaned_data["full_name"],
                password="" if signed_in else form.cleaned_data["password1"],
            )
        except ValidationError as validation_error:
            error = " ".join(validation_error.messages)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome. You are now {invitation.get_role_display()} for {invitation.scope}.",
            )
            return redirect("dashboard")
    return render(
        request,
        "regions/invitation_accept.html",
        {"invitation": invitation, "form": form, "error": error, "signed_in": signed_in},
        status=400 if error or (form is not None and form.errors) else 200,
    )
