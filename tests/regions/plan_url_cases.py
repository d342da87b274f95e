"""URL x persona rows for plans, priorities, funding, groups and votes."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.regions.plan_factories import (
    ActionFactory,
    CandidatePriorityFactory,
    FundingFactory,
    GroupFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
    VoteFactory,
)
from tests.url_matrix import UrlCase, expect, only

READ = expect(200, outsider=403)
# Plans of the other region: only its own people (the outsider) and administrators.
OTHER_READ = expect(403, admin=200, outsider=200)
EDIT = only({"admin": 200, "programme_manager": 200})
EDITED = only({"admin": 302, "programme_manager": 302})
OTHER_EDIT = only({"admin": 200})

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _plan(w, region=None):
    return PlanFactory(region=region or w.region, title="Plan 2024-2027")


def _priority(w, region=None, **kw):
    return PriorityFactory(theme=ThemeFactory(plan=_plan(w, region)), **kw)


def plan_pk(w):
    return {"pk": _plan(w).pk}


def other_plan_pk(w):
    return {"pk": _plan(w, w.other_region).pk}


def theme_pk(w):
    return {"pk": ThemeFactory(plan=_plan(w)).pk}


def priority_pk(w):
    return {"pk": _priority(w).pk}


def sponsored_priority_pk(w):
    return {"pk": _priority(w, sponsor=w.users["dcs"], sponsor_la=w.home_la).pk}


def two_priorities_pk(w):
    first = _priority(w)
    PriorityFactory(theme=first.theme, plan=first.plan)
    return {"pk": first.pk}


def action_pk(w):
    return {"pk": ActionFactory(priority=_priority(w), owner=w.users["member"]).pk}


def funding_pk(w):
    return {"pk": FundingFactory(plan=_plan(w)).pk}


def attachment_pk(w):
    from regions import plan_services

    upload = SimpleUploadedFile("annex.pdf", PDF, content_type="application/pdf")
    attachment = plan_services.attachment_add(
        actor=w.users["programme_manager"], plan=_plan(w), title="Annex A", upload=upload
    )
    return {"pk": attachment.pk}


def group_pk(w):
    return {"pk": GroupFactory(region=w.region, sponsor=w.users["member"]).pk}


def vote_pk(w):
    return {"pk": VoteFactory(region=w.region).pk}


def closed_vote_candidate_pk(w):
    vote = VoteFactory(region=w.region, closes_at=timezone.now() + timedelta(hours=1))
    vote.closed_at = timezone.now()
    vote.save()
    ThemeFactory(plan=_plan(w))
    return {"pk": vote.candidates.first().pk}


def candidate_pk(w):
    ThemeFactory(plan=_plan(w))
    return {"pk": CandidatePriorityFactory(region=w.region).pk}


def other_candidate_pk(w):
    return {"pk": CandidatePriorityFactory(region=w.other_region).pk}


def _theme_of_plan(w):
    from regions.plan_models import Theme

    return {"theme": Theme.objects.get(plan__region=w.region).pk}


def _first_candidate(w):
    from regions.plan_models import VoteCandidate

    return {"choices": [VoteCandidate.objects.filter(vote__region=w.region).first().pk]}


REGION = {"slug": "south-west"}
OTHER_REGION = {"slug": "south-east"}

PLAN_DATA = {"title": "New plan", "start_year": 2025, "end_year": 2027, "status": "draft"}

CASES = [
    # Everyone is sent on: to their region's plans, or (no region, e.g. an admin) the region list.
    UrlCase("regions:plan_home", expect(302)),
    UrlCase("regions:plan_list", READ, kwargs=REGION),
    UrlCase("regions:plan_list", OTHER_READ, kwargs=OTHER_REGION, label="other region"),
    UrlCase("regions:plan_create", EDIT, kwargs=REGION),
    UrlCase("regions:plan_create", OTHER_EDIT, kwargs=OTHER_REGION, label="other region"),
    UrlCase("regions:plan_create", EDITED, kwargs=REGION, method="post", data=PLAN_DATA),
    UrlCase("regions:plan_detail", READ, kwargs=plan_pk),
    UrlCase("regions:plan_detail", OTHER_READ, kwargs=other_plan_pk, label="other region"),
    UrlCase("regions:plan_update", EDIT, kwargs=plan_pk),
    UrlCase("regions:plan_update", OTHER_EDIT, kwargs=other_plan_pk, label="other region"),
    UrlCase("regions:plan_update", EDITED, kwargs=plan_pk, method="post", data=PLAN_DATA),
    UrlCase("regions:plan_history", READ, kwargs=plan_pk),
    UrlCase("regions:plan_history", OTHER_READ, kwargs=other_plan_pk, label="other region"),
    UrlCase("regions:plan_print", READ, kwargs=plan_pk),
    UrlCase("regions:plan_pdf", READ, kwargs=plan_pk),
    UrlCase("regions:plan_xlsx", READ, kwargs=plan_pk),
    UrlCase("regions:plan_xlsx", OTHER_READ, kwargs=other_plan_pk, label="other region"),
    UrlCase("regions:attachment_create", EDIT, kwargs=plan_pk),
    UrlCase(
        "regions:attachment_create",
        EDITED,
        kwargs=plan_pk,
        method="post",
        data=lambda w: {"title": "Annex", "file": SimpleUploadedFile("a.pdf", PDF)},
    ),
    UrlCase("regions:attachment_download", READ, kwargs=attachment_pk),
    UrlCase("regions:attachment_delete", EDIT, kwargs=attachment_pk),
    UrlCase("regions:attachment_delete", EDITED, kwargs=attachment_pk, method="post"),
    UrlCase(
        "regions:theme_create", EDITED, kwargs=plan_pk, method="post", data={"title": "Practice"}
    ),
    UrlCase("regions:theme_update", EDIT, kwargs=theme_pk),
    UrlCase("regions:theme_delete", EDIT, kwargs=theme_pk),
    UrlCase("regions:theme_delete", EDITED, kwargs=theme_pk, method="post"),
    UrlCase("regions:theme_move", EDITED, kwargs=theme_pk, method="post", data={"direction": "up"}),
    UrlCase("regions:priority_create", EDIT, kwargs=plan_pk),
    UrlCase("regions:priorities_renumber", EDITED, kwargs=plan_pk, method="post"),
    UrlCase("regions:priority_detail", READ, kwargs=priority_pk),
    UrlCase(
        "regions:priority_detail",
        OTHER_READ,
        kwargs=lambda w: {"pk": _priority(w, w.other_region).pk},
        label="other region",
    ),
    UrlCase("regions:priority_update", EDIT, kwargs=priority_pk),
    UrlCase("regions:priority_delete", EDIT, kwargs=priority_pk),
    UrlCase("regions:priority_delete", EDITED, kwargs=priority_pk, method="post"),
    UrlCase(
        "regions:priority_move",
        EDITED,
        kwargs=two_priorities_pk,
        method="post",
        data={"direction": "down"},
    ),
    # The sponsoring DCS records progress on their priority; other DCSs may not.
    UrlCase(
        "regions:progress_create",
        only({"admin": 200, "programme_manager": 200, "dcs": 200}),
        kwargs=sponsored_priority_pk,
    ),
    UrlCase(
        "regions:progress_create",
        only({"admin": 302, "programme_manager": 302, "dcs": 302}),
        kwargs=sponsored_priority_pk,
        method="post",
        data=lambda w: {
            "date": timezone.localdate().isoformat(),
            "rag": "amber",
            "narrative": "On track",
        },
    ),
    UrlCase("regions:action_create", EDIT, kwargs=priority_pk),
    UrlCase(
        "regions:action_create",
        EDITED,
        kwargs=priority_pk,
        method="post",
        data={"title": "Do it", "status": "not_started"},
    ),
    UrlCase("regions:action_update", EDIT, kwargs=action_pk),
    # The action's owner (here the member) marks it done.
    UrlCase(
        "regions:action_status",
        only({"admin": 302, "programme_manager": 302, "member": 302}),
        kwargs=action_pk,
        method="post",
        data={"status": "done"},
    ),
    UrlCase("regions:action_delete", EDIT, kwargs=action_pk),
    UrlCase("regions:funding_list", READ, kwargs=plan_pk),
    UrlCase("regions:funding_list", OTHER_READ, kwargs=other_plan_pk, label="other region"),
    UrlCase("regions:funding_create", EDIT, kwargs=plan_pk),
    UrlCase(
        "regions:funding_create",
        EDITED,
        kwargs=plan_pk,
        method="post",
        data={
            "financial_year": 2024,
            "source": "dfe_grant",
            "amount": "130000",
            "status": "invoiced",
        },
    ),
    UrlCase("regions:funding_update", EDIT, kwargs=funding_pk),
    UrlCase("regions:funding_delete", EDITED, kwargs=funding_pk, method="post"),
    UrlCase("regions:group_list", READ, kwargs=REGION),
    UrlCase("regions:group_create", EDIT, kwargs=REGION),
    UrlCase("regions:group_create", OTHER_EDIT, kwargs=OTHER_REGION, label="other region"),
    UrlCase("regions:group_detail", READ, kwargs=group_pk),
    UrlCase("regions:group_update", EDIT, kwargs=group_pk),
    # The group's sponsor (here the member, an assistant director) gives its annual account.
    UrlCase(
        "regions:group_account_create",
        only({"admin": 200, "programme_manager": 200, "member": 200}),
        kwargs=group_pk,
    ),
    UrlCase("regions:vote_list", READ, kwargs=REGION),
    UrlCase("regions:vote_list", OTHER_READ, kwargs=OTHER_REGION, label="other region"),
    UrlCase("regions:vote_create", EDIT, kwargs=REGION),
    UrlCase("regions:vote_detail", READ, kwargs=vote_pk),
    # Each LA's DCS casts its ballot; nobody else in the world holds a ballot.
    UrlCase(
        "regions:vote_cast",
        only({"dcs": 302, "peer_dcs": 302}),
        kwargs=vote_pk,
        method="post",
        data=_first_candidate,
    ),
    # A DCS nominates someone of their own LA; Devon's DCS cannot nominate Somerset's member.
    UrlCase(
        "regions:vote_delegate",
        only({"dcs": 302, "peer_dcs": 400}),
        kwargs=vote_pk,
        method="post",
        data=lambda w: {"user": w.users["member"].pk},
    ),
    UrlCase("regions:vote_close", EDITED, kwargs=vote_pk, method="post"),
    UrlCase(
        "regions:candidate_promote",
        EDITED,
        kwargs=closed_vote_candidate_pk,
        method="post",
        data=_theme_of_plan,
    ),
    # Candidate priorities for the next plan: the region's programme managers adopt them; others
    # in the region are refused, people who cannot see the region's plans are told nothing.
    UrlCase(
        "regions:candidate_priority_adopt",
        expect(403, admin=200, programme_manager=200, outsider=404),
        kwargs=candidate_pk,
    ),
    UrlCase(
        "regions:candidate_priority_adopt",
        expect(403, admin=302, programme_manager=302, outsider=404),
        kwargs=candidate_pk,
        method="post",
        data=_theme_of_plan,
    ),
    UrlCase(
        "regions:candidate_priority_adopt",
        expect(404, admin=200, outsider=403),
        kwargs=other_candidate_pk,
        label="other region",
    ),
]
