from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("regions/<slug:slug>/invite/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("las/", views.la_list, name="la_list"),
    path("las/<slug:slug>/", views.la_detail, name="la_detail"),
]

# Plans, priorities, funding, groups and votes (regions/plan_urls.py), in the same namespace.
from .plan_urls import urlpatterns as plan_urlpatterns  # noqa: E402

urlpatterns += plan_urlpatterns
