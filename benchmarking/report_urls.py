from django.urls import path

from . import report_views as views

app_name = "benchmarking_reports"

urlpatterns = [
    path("", views.reports_home, name="home"),
    path("<slug:region_slug>/rug/", views.rug_page, name="rug"),
    path("<slug:region_slug>/rug/export/", views.rug_export, name="rug_export"),
    path(
        "<slug:region_slug>/datapacks/export/", views.region_pack_export, name="region_pack_export"
    ),
    path("<slug:region_slug>/exceptions/", views.exceptions_page, name="exceptions"),
    path("la/<slug:la_slug>/datapack/", views.datapack_page, name="datapack"),
    path("la/<slug:la_slug>/datapack/export/", views.datapack_export, name="datapack_export"),
    path(
        "la/<slug:la_slug>/narratives/<slug:period_slug>/<slug:indicator_code>/",
        views.narrative_edit,
        name="narrative_edit",
    ),
    path("builds/<int:build_id>/", views.build_status, name="build_status"),
    path("builds/<int:build_id>/download/", views.build_download, name="build_download"),
    path("builds/<int:build_id>/retry/", views.build_retry, name="build_retry"),
]
