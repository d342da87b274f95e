from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from . import dashboard as dashboard_registry


@login_required
def dashboard(request):
    sections = dashboard_registry.sections_for(request.user)
    return render(request, "dashboard.html", {"sections": sections})


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
