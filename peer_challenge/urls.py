from django.urls import path, re_path

from .views import challenges, cycles, findings, moderation, self_assessments, triads

app_name = "peer_challenge"

urlpatterns = [
    path("", cycles.index, name="index"),
    path("regions/<slug:slug>/cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("regions/<slug:slug>/take-up/", challenges.take_up, name="take_up"),
    re_path(
        r"^regions/(?P<slug>[-\w]+)/take-up\.(?P<fmt>csv|xlsx)$",
        challenges.take_up_export,
        name="take_up_export",
    ),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/edit/", cycles.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/close/", cycles.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/triads/", triads.triads, name="triads"),
    path("cycles/<int:pk>/triads/propose/", triads.triads_propose, name="triads_propose"),
    path("cycles/<int:pk>/triads/confirm/", triads.triads_confirm, name="triads_confirm"),
    path("cycles/<int:pk>/triads/rules/", triads.constraint_add, name="constraint_add"),
    path("cycles/<int:pk>/findings/new/", findings.finding_create, name="finding_create"),
    path("cycles/<int:pk>/challenges/new/", challenges.challenge_create, name="challenge_create"),
    path("findings/<int:pk>/promote/", findings.finding_promote, name="finding_promote"),
    path("challenges/<int:pk>/", challenges.challenge_detail, name="challenge_detail"),
    path("challenges/<int:pk>/edit/", challenges.challenge_update, name="challenge_update"),
    path("challenges/<int:pk>/report/", challenges.challenge_report, name="challenge_report"),
    path(
        "self-assessments/<int:pk>/",
        self_assessments.self_assessment_detail,
        name="self_assessment_detail",
    ),
    path(
        "self-assessments/<int:pk>/edit/",
        self_assessments.self_assessment_edit,
        name="self_assessment_edit",
    ),
    path(
        "self-assessments/<int:pk>/sections/<int:section_pk>/evidence/",
        self_assessments.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "self-assessments/<int:pk>/evidence/<int:file_pk>/",
        self_assessments.evidence_download,
        name="evidence_download",
    ),
    path(
        "self-assessments/<int:pk>/evidence/<int:file_pk>/remove/",
        self_assessments.evidence_remove,
        name="evidence_remove",
    ),
    path(
        "self-assessments/<int:pk>/submit/",
        self_assessments.self_assessment_submit,
        name="self_assessment_submit",
    ),
    path(
        "self-assessments/<int:pk>/sign-off/",
        self_assessments.self_assessment_sign_off,
        name="self_assessment_sign_off",
    ),
    path(
        "self-assessments/<int:pk>/versions/",
        self_assessments.self_assessment_history,
        name="self_assessment_history",
    ),
    path(
        "self-assessments/<int:pk>/moderators/",
        moderation.moderator_assign,
        name="moderator_assign",
    ),
    path(
        "self-assessments/<int:pk>/sections/<int:section_pk>/comment/",
        moderation.moderation_comment,
        name="moderation_comment",
    ),
    path(
        "self-assessments/<int:pk>/release/",
        moderation.moderation_release,
        name="moderation_release",
    ),
    path(
        "self-assessments/<int:pk>/comments/<int:comment_pk>/respond/",
        moderation.comment_respond,
        name="comment_respond",
    ),
]
