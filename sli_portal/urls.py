from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import EmailAuthenticationForm
from benchmarking.urls import reports_urlpatterns

from . import views
from .search import views as search_views

admin.site.site_header = "SLI Portal administration"
admin.site.site_title = "SLI Portal admin"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("help/", views.info_page("info/help.html"), name="help"),
    path("contact/", views.info_page("info/contact.html"), name="contact"),
    path("accessibility/", views.info_page("info/accessibility.html"), name="accessibility"),
    path("privacy/", views.info_page("info/privacy.html"), name="privacy"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("notifications/", include("notifications.urls")),
    path("search/", search_views.search_page, name="search"),
    path("", include("regions.urls")),
    path("events/", include("events.urls")),
    path("peer-challenge/", include("peer_challenge.urls")),
    path("benchmarking/reports/", include((reports_urlpatterns, "benchmarking_reports"))),
    path("", include("benchmarking.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_ENABLED:
    from . import bench_views

    urlpatterns += [
        path("bench/bare/", bench_views.bare, name="bench_bare"),
        path("bench/layout/", bench_views.signed_in_layout, name="bench_layout"),
    ]
