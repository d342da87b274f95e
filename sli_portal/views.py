from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from . import dashboard as dashboard_registry
from . import fragments


@login_required
def dashboard(request):
    user = request.user
    # Kept per version of the rows the sections read and per viewer (sli_portal.fragments).
    context = {
        "body": fragments.Fragment(
            request,
            "dashboard",
            lambda: dashboard_registry.rows_for(user),
            # What the providers' rows depend on: the user and their scope.
            rows_key=(user.pk, str(user.scope_token), user.is_superuser, user.is_staff),
        ),
        "sections": fragments.lazy(lambda: dashboard_registry.sections_for(user)),
    }
    return render(request, "dashboard.html", context)


def healthz(request):
    """For load balancers and compose healthchecks: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def info_page(template_name: str):
    """A public page of the footer (help, contact, accessibility, privacy): open to everyone,
    signed in or not, since someone locked out may need it most."""

    def view(request):
        return render(request, template_name)

    view.__name__ = template_name.rsplit("/", 1)[-1].removesuffix(".html").replace("-", "_")
    return view
