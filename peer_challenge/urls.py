from django.urls import path, re_path

from . import views

app_name = "peer_challenge"

urlpatterns = [
    path("", views.index, name="index"),
    path("regions/<slug:slug>/cycles/new/", views.cycle_create, name="cycle_create"),
    path("regions/<slug:slug>/take-up/", views.take_up, name="take_up"),
    re_path(
        r"^regions/(?P<slug>[-\w]+)/take-up\.(?P<fmt>csv|xlsx)$",
        views.take_up_export,
        name="take_up_export",
    ),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/triads/", views.triads, name="triads"),
    path("cycles/<int:pk>/triads/propose/", views.triads_propose, name="triads_propose"),
    path("cycles/<int:pk>/triads/confirm/", views.triads_confirm, name="triads_confirm"),
    path("cycles/<int:pk>/triads/rules/", views.constraint_add, name="constraint_add"),
    path("cycles/<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("cycles/<int:pk>/challenges/new/", views.challenge_create, name="challenge_create"),
    path("findings/<int:pk>/promote/", views.finding_promote, name="finding_promote"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge_detail"),
    path("challenges/<int:pk>/edit/", views.challenge_update, name="challenge_update"),
    path("challenges/<int:pk>/report/", views.challenge_report, name="challenge_report"),
    path("self-assessments/<int:pk>/", views.self_assessment_detail, name="self_assessment_detail"),
    path(
        "self-assessments/<int:pk>/edit/", views.self_assessment_edit, name="self_assessment_edit"
    ),
    path(
        "self-assessments/<int:pk>/sections/<int:section_pk>/evidence/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "self-assessments/<int:pk>/evidence/<int:file_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "self-assessments/<int:pk>/evidence/<int:file_pk>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path(
        "self-assessments/<int:pk>/submit/",
        views.self_assessment_submit,
        name="self_assessment_submit",
    ),
    path(
        "self-assessments/<int:pk>/sign-off/",
        views.self_assessment_sign_off,
        name="self_assessment_sign_off",
    ),
    path(
        "self-assessments/<int:pk>/versions/",
        views.self_assessment_history,
        name="self_assessment_history",
    ),
    path("self-assessments/<int:pk>/moderators/", views.moderator_assign, name="moderator_assign"),
    path(
        "self-assessments/<int:pk>/sections/<int:section_pk>/comment/",
        views.moderation_comment,
        name="moderation_comment",
    ),
    path("self-assessments/<int:pk>/release/", views.moderation_release, name="moderation_release"),
    path(
        "self-assessments/<int:pk>/comments/<int:comment_pk>/respond/",
        views.comment_respond,
        name="comment_respond",
    ),
]
