"""The portal's URLs plus the bench's signed-in layout (the frame with no content), for tests."""

from django.urls import path

from sli_portal import bench_views
from sli_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    *portal_urlpatterns,
    path("bench/layout/", bench_views.signed_in_layout, name="bench_layout"),
]
