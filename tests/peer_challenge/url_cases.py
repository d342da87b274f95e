from django.core.files.base import ContentFile

from peer_challenge.models import FindingKind
from peer_challenge.services.challenges import challenge_create
from peer_challenge.services.findings import finding_create
from peer_challenge.services.self_assessments import evidence_attach
from peer_challenge.services.triads import triads_confirm, triads_propose
from tests.peer_challenge import factories as f
from tests.url_matrix import UrlCase, confirm_twins, only, with_personas

ANON = 302
IN_REGION = {
    "admin": 200,
    "programme_manager": 200,
    "dcs": 200,
    "performance_lead": 200,
    "member": 200,
    "peer_dcs": 200,
}
MANAGERS_200 = {"admin": 200, "programme_manager": 200}
MANAGERS_302 = {"admin": 302, "programme_manager": 302}
HOME_LA_VIEW = {
    "admin": 200,
    "programme_manager": 200,
    "dcs": 200,
    "performance_lead": 200,
    "member": 200,
}


def _region_managed(allowed, *, outsider=404, others=403):
    """Managers get `allowed`; others in the region 403; the outsider (other region) 404."""
    table = only(allowed, others=others)
    table["outsider"] = outsider
    return table


def _cycle(w):
    return {"pk": f.annual_cycle(w).pk}


def _cycle_with_triads(w):
    cycle = f.annual_cycle(w)
    triads_propose(actor=w.users["programme_manager"], cycle=cycle, seed=1)
    return {"pk": cycle.pk}


def _finding(w):
    cycle = f.annual_cycle(w)
    finding = finding_create(
        actor=w.users["programme_manager"], cycle=cycle, kind=FindingKind.REGIONAL_THEME, text="x"
    )
    return {"pk": finding.pk}


def _challenge(w, *, report=False):
    cycle = f.thematic_cycle(w)
    challenge = challenge_create(
        actor=w.users["programme_manager"],
        cycle=cycle,
        home_la=w.home_la,
        challenging_las=[w.peer_la],
    )
    if report:
        challenge.report.save("report.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {"pk": challenge.pk}


def _home_draft(w):
    return {"pk": f.sa_of(f.annual_cycle(w), w.home_la).pk}


def _home_draft_written(w):
    sa = f.sa_of(f.annual_cycle(w), w.home_la)
    f.write(sa, w.users["dcs"])
    return {"pk": sa.pk}


def _peer_draft(w):
    return {"pk": f.sa_of(f.annual_cycle(w), w.peer_la).pk}


def _home_submitted_in_triad(w):
    cycle = f.annual_cycle(w)
    triads_propose(actor=w.users["programme_manager"], cycle=cycle, seed=1)
    triads_confirm(actor=w.users["programme_manager"], cycle=cycle)
    return {"pk": f.submitted(w, cycle=cycle).pk}


def _home_draft_in_triad(w):
    cycle = f.annual_cycle(w)
    triads_propose(actor=w.users["programme_manager"], cycle=cycle, seed=1)
    triads_confirm(actor=w.users["programme_manager"], cycle=cycle)
    return {"pk": f.sa_of(cycle, w.home_la).pk}


def _home_submitted(w):
    return {"pk": f.submitted(w).pk}


def _home_moderating(w):
    return {"pk": f.with_moderator(w).pk, "section_pk": 0}


def _home_moderating_section(w):
    sa = f.with_moderator(w)
    return {"pk": sa.pk, "section_pk": sa.sections.first().pk}


def _home_commented_unreleased(w):
    sa, _ = f.commented(w, release=False)
    return {"pk": sa.pk}


def _home_moderated(w):
    sa, _ = f.commented(w)
    return {"pk": sa.pk}


def _home_comment(w):
    sa, comment = f.commented(w)
    return {"pk": sa.pk, "comment_pk": comment.pk}


def _evidence(w, *, removed=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sa = f.sa_of(f.annual_cycle(w), w.home_la)
    evidence = evidence_attach(
        actor=w.users["dcs"],
        self_assessment=sa,
        section=sa.sections.first(),
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 evidence"),
    )
    return {"pk": sa.pk, "file_pk": evidence.pk}


def _home_draft_section(w):
    sa = f.sa_of(f.annual_cycle(w), w.home_la)
    return {"pk": sa.pk, "section_pk": sa.sections.first().pk}


def _upload(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")}


# Who sees the home LA's self-assessment once a peer-LA moderator is assigned.
WITH_MODERATOR = {**HOME_LA_VIEW, "peer_dcs": 200}

CASES = [
    UrlCase("peer_challenge:index", only({**IN_REGION, "outsider": 200})),
    # A region's peer challenge is seen by its own people (and admins): outsiders get 404.
    UrlCase(
        "peer_challenge:cycle_create",
        _region_managed(MANAGERS_200),
        kwargs=lambda w: {"slug": w.region.slug},
    ),
    UrlCase(
        "peer_challenge:cycle_create",
        only({"admin": 200, "outsider": 403}, others=404),
        kwargs=lambda w: {"slug": w.other_region.slug},
        label="other region",
    ),
    UrlCase(
        "peer_challenge:take_up",
        only({**IN_REGION, "outsider": 404}),
        kwargs=lambda w: {"slug": w.region.slug},
    ),
    UrlCase(
        "peer_challenge:take_up_export",
        only({**IN_REGION, "outsider": 404}),
        kwargs=lambda w: {"slug": w.region.slug, "fmt": "csv"},
    ),
    UrlCase(
        "peer_challenge:take_up_export",
        only({**IN_REGION, "outsider": 404}),
        kwargs=lambda w: {"slug": w.region.slug, "fmt": "xlsx"},
        label="xlsx",
    ),
    UrlCase("peer_challenge:cycle_detail", only(IN_REGION, others=404), kwargs=_cycle),
    UrlCase("peer_challenge:triads", _region_managed(MANAGERS_200), kwargs=_cycle),
    UrlCase("peer_challenge:cycle_edit", _region_managed(MANAGERS_200), kwargs=_cycle),
    UrlCase(
        "peer_challenge:cycle_edit",
        _region_managed(MANAGERS_302),
        kwargs=_cycle,
        method="post",
        data={"title": "Renamed", "challenge_day": "2030-03-01", "challenge_venue": "Exeter"},
    ),
    UrlCase("peer_challenge:cycle_close", _region_managed(MANAGERS_200), kwargs=_cycle),
    UrlCase(
        "peer_challenge:cycle_close",
        _region_managed(MANAGERS_302),
        kwargs=_cycle,
        method="post",
    ),
    UrlCase(
        "peer_challenge:triads",
        _region_managed(MANAGERS_302),
        kwargs=_cycle_with_triads,
        method="post",
        data=lambda w: {f"la_{w.home_la.pk}": "1", f"la_{w.peer_la.pk}": "1"},
        label="edit",
    ),
    UrlCase(
        "peer_challenge:triads_propose",
        _region_managed(MANAGERS_302),
        kwargs=_cycle,
        method="post",
    ),
    UrlCase(
        "peer_challenge:triads_confirm",
        _region_managed(MANAGERS_302),
        kwargs=_cycle,
        method="post",
    ),
    UrlCase(
        "peer_challenge:constraint_add",
        _region_managed(MANAGERS_302),
        kwargs=_cycle,
        method="post",
        data=lambda w: {"kind": "apart", "first": w.home_la.pk, "second": w.peer_la.pk},
    ),
    UrlCase("peer_challenge:finding_create", _region_managed(MANAGERS_200), kwargs=_cycle),
    UrlCase(
        "peer_challenge:finding_promote",
        _region_managed(MANAGERS_302),
        kwargs=_finding,
        method="post",
    ),
    UrlCase(
        "peer_challenge:challenge_create",
        _region_managed(MANAGERS_200),
        kwargs=lambda w: {"pk": f.thematic_cycle(w).pk},
    ),
    UrlCase("peer_challenge:challenge_detail", only(IN_REGION, others=404), kwargs=_challenge),
    UrlCase("peer_challenge:challenge_update", _region_managed(MANAGERS_200), kwargs=_challenge),
    UrlCase(
        "peer_challenge:challenge_report",
        only(IN_REGION, others=404),
        kwargs=lambda w: _challenge(w, report=True),
    ),
    UrlCase(
        "peer_challenge:self_assessment_detail",
        only(HOME_LA_VIEW, others=404),
        kwargs=_home_draft,
    ),
    UrlCase(
        "peer_challenge:self_assessment_detail",
        only({**HOME_LA_VIEW, "peer_dcs": 200}, others=404),
        kwargs=_home_submitted_in_triad,
        label="triad partner after submission",
    ),
    UrlCase(
        "peer_challenge:self_assessment_detail",
        only(HOME_LA_VIEW, others=404),
        kwargs=_home_draft_in_triad,
        label="triad partner before submission",
    ),
    UrlCase(
        "peer_challenge:self_assessment_detail",
        only(
            {"admin": 200, "programme_manager": 200, "peer_dcs": 200},
            others=404,
        ),
        kwargs=_peer_draft,
        label="another LA's self-assessment",
    ),
    UrlCase(
        "peer_challenge:self_assessment_detail",
        only(WITH_MODERATOR, others=404),
        kwargs=lambda w: {"pk": f.with_moderator(w).pk},
        label="moderator",
    ),
    UrlCase(
        "peer_challenge:self_assessment_edit",
        only(
            {
                "dcs": 200,
                "performance_lead": 200,
                "member": 403,
                "admin": 403,
                "programme_manager": 403,
            },
            others=404,
        ),
        kwargs=_home_draft,
    ),
    UrlCase(
        "peer_challenge:self_assessment_edit",
        only(
            {
                "dcs": 403,
                "performance_lead": 403,
                "member": 403,
                "admin": 403,
                "programme_manager": 403,
            },
            others=404,
        ),
        kwargs=_home_submitted,
        label="after submission",
    ),
    UrlCase(
        "peer_challenge:self_assessment_edit",
        only({"peer_dcs": 200, "admin": 403, "programme_manager": 403}, others=404),
        kwargs=_peer_draft,
        label="another LA's self-assessment",
    ),
    UrlCase(
        "peer_challenge:evidence_upload",
        only(
            {
                "dcs": 302,
                "performance_lead": 302,
                "member": 403,
                "admin": 403,
                "programme_manager": 403,
            },
            others=404,
        ),
        kwargs=_home_draft_section,
        method="post",
        data=_upload,
    ),
    UrlCase(
        "peer_challenge:evidence_download",
        only(HOME_LA_VIEW, others=404),
        kwargs=_evidence,
    ),
    UrlCase(
        "peer_challenge:evidence_remove",
        only(
            {
                "dcs": 200,
                "performance_lead": 200,
                "member": 403,
                "admin": 403,
                "programme_manager": 403,
            },
            others=404,
        ),
        kwargs=_evidence,
    ),
    UrlCase(
        "peer_challenge:evidence_remove",
        only(
            {
                "dcs": 302,
                "performance_lead": 302,
                "member": 403,
                "admin": 403,
                "programme_manager": 403,
            },
            others=404,
        ),
        kwargs=_evidence,
        method="post",
    ),
    UrlCase(
        "peer_challenge:self_assessment_submit",
        only(
            {
                "dcs": 302,
                "performance_lead": 403,
                "member": 403,
                "admin": 403,
                "programme_manager": 403,
            },
            others=404,
        ),
        kwargs=_home_draft_written,
        method="post",
    ),
    UrlCase(
        "peer_challenge:self_assessment_sign_off",
        only(
            {
                "dcs": 200,
                "performance_lead": 403,
                "member": 403,
                "admin": 403,
                "programme_manager": 403,
                "peer_dcs": 403,
            },
            others=404,
        ),
        kwargs=_home_moderated,
    ),
    UrlCase(
        "peer_challenge:self_assessment_history",
        only(HOME_LA_VIEW, others=404),
        kwargs=_home_submitted,
    ),
    UrlCase(
        "peer_challenge:moderator_assign",
        only(
            {
                "admin": 200,
                "programme_manager": 200,
                "dcs": 403,
                "performance_lead": 403,
                "member": 403,
            },
            others=404,
        ),
        kwargs=_home_submitted,
    ),
    UrlCase(
        "peer_challenge:moderation_comment",
        only(
            {
                "peer_dcs": 302,
                "admin": 403,
                "programme_manager": 403,
                "dcs": 403,
                "performance_lead": 403,
                "member": 403,
            },
            others=404,
        ),
        kwargs=_home_moderating_section,
        method="post",
        data={"body": "A fair summary."},
    ),
    UrlCase(
        "peer_challenge:moderation_release",
        only(
            {
                "peer_dcs": 302,
                "admin": 403,
                "programme_manager": 403,
                "dcs": 403,
                "performance_lead": 403,
                "member": 403,
            },
            others=404,
        ),
        kwargs=_home_commented_unreleased,
        method="post",
    ),
    UrlCase(
        "peer_challenge:comment_respond",
        only(
            {
                "dcs": 302,
                "performance_lead": 302,
                "member": 403,
                "admin": 403,
                "programme_manager": 403,
                "peer_dcs": 403,
            },
            others=404,
        ),
        kwargs=_home_comment,
        method="post",
        data={"response": "Thank you."},
    ),
]


# The analyst and staff personas where they differ from the defaults above (tests/world.py):
# the analyst holds the regional grant from a member's seat in peer_la; staff hold no role.
CASES = with_personas(
    CASES,
    {
        "GET peer_challenge:challenge_create": {"staff": 404},
        "GET peer_challenge:challenge_detail": {"analyst": 200},
        "GET peer_challenge:challenge_report": {"analyst": 200},
        "GET peer_challenge:challenge_update": {"staff": 404},
        "GET peer_challenge:cycle_create": {"staff": 404},
        "GET peer_challenge:cycle_detail": {"analyst": 200},
        "GET peer_challenge:cycle_close": {"staff": 404},
        "GET peer_challenge:cycle_edit": {"staff": 404},
        "GET peer_challenge:finding_create": {"staff": 404},
        "GET peer_challenge:index": {"analyst": 200, "staff": 200},
        "GET peer_challenge:self_assessment_detail[another LA's self-assessment]": {"analyst": 200},
        "GET peer_challenge:self_assessment_detail[triad partner after submission]": {
            "analyst": 200
        },
        "GET peer_challenge:self_assessment_edit[another LA's self-assessment]": {"analyst": 403},
        "GET peer_challenge:take_up": {"analyst": 200, "staff": 404},
        "GET peer_challenge:take_up_export": {"analyst": 200, "staff": 404},
        "GET peer_challenge:take_up_export[xlsx]": {"analyst": 200, "staff": 404},
        "GET peer_challenge:triads": {"staff": 404},
        "POST peer_challenge:constraint_add": {"staff": 404},
        "POST peer_challenge:cycle_close": {"staff": 404},
        "POST peer_challenge:cycle_edit": {"staff": 404},
        "POST peer_challenge:finding_promote": {"staff": 404},
        "POST peer_challenge:triads[edit]": {"staff": 404},
        "POST peer_challenge:triads_confirm": {"staff": 404},
        "POST peer_challenge:triads_propose": {"staff": 404},
    },
)

# The "Are you sure?" page of each action (GET), answering as its POST (issue 14).
CASES += confirm_twins(
    CASES,
    {
        "peer_challenge:triads_confirm",
        "peer_challenge:triads_propose",
        "peer_challenge:moderation_release",
        "peer_challenge:self_assessment_submit",
    },
)
