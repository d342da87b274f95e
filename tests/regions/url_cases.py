"""Every regions URL against every persona (see tests/url_matrix.py): geography and people,
then plans, priorities, funding, groups, votes and candidate priorities."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from regions.models import Invitation, Role, Theme, VoteCandidate
from regions.services import plans as plan_services
from tests.regions.factories import (
    ActionFactory,
    CandidatePriorityFactory,
    FundingFactory,
    GroupFactory,
    PlanFactory,
    PriorityFactory,
    ThemeFactory,
    VoteFactory,
)
from tests.url_matrix import UrlCase, confirm_twins, expect, only, with_personas


def _invitation(world, la=None):
    from datetime import timedelta

    from django.utils import timezone

    invitation = Invitation.objects.create(
        email="new.person@example.org",
        full_name="New Person",
        role=Role.MEMBER,
        local_authority=la or world.home_la,
        invited_by=world.users["programme_manager"],
        expires_at=timezone.now() + timedelta(days=7),
    )
    return invitation


def _invitation_token(world):
    from regions.models import invitation_token

    return {"token": invitation_token(_invitation(world))}


MANAGERS = {"admin": 302, "programme_manager": 302}

CASES = [
    UrlCase("dashboard", expect(200)),
    UrlCase("healthz", expect(200, anonymous=200)),
    UrlCase("help", expect(200, anonymous=200)),
    UrlCase("contact", expect(200, anonymous=200)),
    UrlCase("accessibility", expect(200, anonymous=200)),
    UrlCase("privacy", expect(200, anonymous=200)),
    UrlCase("login", expect(200, anonymous=200)),
    UrlCase("logout", expect(302, anonymous=302), method="post"),
    UrlCase("password_reset", expect(200, anonymous=200)),
    UrlCase("password_reset_done", expect(200, anonymous=200)),
    UrlCase(
        "password_reset_confirm",
        expect(200, anonymous=200),
        kwargs={"uidb64": "MQ", "token": "not-a-token"},
    ),
    UrlCase("password_reset_complete", expect(200, anonymous=200)),
    UrlCase("password_change", expect(200)),
    UrlCase("password_change_done", expect(200)),
    UrlCase("regions:region_list", expect(200)),
    UrlCase("regions:region_detail", expect(200), kwargs=lambda w: {"slug": w.region.slug}),
    UrlCase(
        "regions:region_detail",
        expect(200),
        kwargs=lambda w: {"slug": w.other_region.slug},
        label="other region",
    ),
    UrlCase("regions:la_list", expect(200)),
    UrlCase("regions:la_detail", expect(200), kwargs=lambda w: {"slug": w.home_la.slug}),
    UrlCase(
        "regions:invitation_create",
        only({"admin": 200, "programme_manager": 200}),
        kwargs=lambda w: {"slug": w.region.slug},
    ),
    UrlCase(
        "regions:invitation_create",
        only({"admin": 200}),
        kwargs=lambda w: {"slug": w.other_region.slug},
        label="other region",
    ),
    # An invitation names a person: people outside its region are told nothing (404).
    UrlCase(
        "regions:invitation_resend",
        only(MANAGERS, others=403) | {"outsider": 404},
        kwargs=lambda w: {"pk": _invitation(w).pk},
        method="post",
    ),
    UrlCase(
        "regions:invitation_revoke",
        only(MANAGERS, others=403) | {"outsider": 404},
        kwargs=lambda w: {"pk": _invitation(w).pk},
        method="post",
    ),
    UrlCase(
        "regions:invitation_revoke",
        expect(404, admin=302, outsider=403),
        kwargs=lambda w: {"pk": _invitation(w, la=w.other_la).pk},
        method="post",
        label="other region",
    ),
    # The link itself is the credential: anyone holding it sees the invitation.
    UrlCase("regions:invitation_accept", expect(200, anonymous=200), kwargs=_invitation_token),
]

# Plans, priorities, funding, groups and votes.
from tests.regions.url_cases import CASES as PLAN_CASES  # noqa: E402

CASES += PLAN_CASES

# --- plans, priorities, funding, groups, votes and candidate priorities ---

# Plans, groups and votes are for the region's own people: others are told nothing (404); the
# region's people who may not do something are refused (403).
READ = expect(200, outsider=404)
# Plans of the other region: only its own people (the outsider) and administrators.
OTHER_READ = expect(404, admin=200, outsider=200)
EDIT = expect(403, admin=200, programme_manager=200, outsider=404)
EDITED = expect(403, admin=302, programme_manager=302, outsider=404)
OTHER_EDIT = expect(404, admin=200, outsider=403)

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
    upload = SimpleUploadedFile("annex.pdf", PDF, content_type="application/pdf")
    attachment = plan_services.attachment_add(
        actor=w.users["programme_manager"], plan=_plan(w), title="Annex A", upload=upload
    )
    return {"pk": attachment.pk}


def group_pk(w):
    return {"pk": GroupFactory(region=w.region, sponsor=w.users["member"]).pk}


def group_with_partner_pk(w):
    group = GroupFactory(region=w.region, sponsor=w.users["member"])
    group.members.add(w.users["partner"])
    return {"pk": group.pk}


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

    return {"theme": Theme.objects.get(plan__region=w.region).pk}


def _first_candidate(w):

    return {"choices": [VoteCandidate.objects.filter(vote__region=w.region).first().pk]}


REGION = {"slug": "south-west"}
OTHER_REGION = {"slug": "south-east"}

PLAN_DATA = {"title": "New plan", "start_year": 2025, "end_year": 2027, "status": "draft"}

CASES += [
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
        expect(403, admin=200, programme_manager=200, dcs=200, outsider=404),
        kwargs=sponsored_priority_pk,
    ),
    UrlCase(
        "regions:progress_create",
        expect(403, admin=302, programme_manager=302, dcs=302, outsider=404),
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
        expect(403, admin=302, programme_manager=302, member=302, outsider=404),
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
    # A partner who is a member of the group reads it (issue 17); other groups stay unknown.
    UrlCase(
        "regions:group_detail",
        expect(200, outsider=404, staff=404, partner=200),
        kwargs=group_with_partner_pk,
        label="partner is a member",
    ),
    UrlCase("regions:group_update", EDIT, kwargs=group_pk),
    # The group's sponsor (here the member, an assistant director) gives its annual account.
    UrlCase(
        "regions:group_account_create",
        expect(403, admin=200, programme_manager=200, member=200, outsider=404),
        kwargs=group_pk,
    ),
    UrlCase("regions:vote_list", READ, kwargs=REGION),
    UrlCase("regions:vote_list", OTHER_READ, kwargs=OTHER_REGION, label="other region"),
    UrlCase("regions:vote_create", EDIT, kwargs=REGION),
    UrlCase("regions:vote_detail", READ, kwargs=vote_pk),
    # Each LA's DCS casts its ballot; nobody else in the world holds a ballot.
    UrlCase(
        "regions:vote_cast",
        expect(403, dcs=302, peer_dcs=302, outsider=404),
        kwargs=vote_pk,
        method="post",
        data=_first_candidate,
    ),
    # A DCS nominates someone of their own LA; Devon's DCS cannot nominate Somerset's member.
    UrlCase(
        "regions:vote_delegate",
        expect(403, dcs=302, peer_dcs=400, outsider=404),
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


# The analyst and staff personas where they differ from the defaults above (tests/world.py):
# the analyst holds the regional grant from a member's seat in peer_la; staff hold no role.
CASES = with_personas(
    CASES,
    {
        "GET regions:action_create": {"staff": 404},
        "GET regions:action_delete": {"staff": 404},
        "GET regions:action_update": {"staff": 404},
        "GET regions:attachment_create": {"staff": 404},
        "GET regions:attachment_delete": {"staff": 404},
        "GET regions:attachment_download": {"staff": 404},
        "GET regions:candidate_priority_adopt": {"staff": 404},
        "GET regions:funding_create": {"staff": 404},
        "GET regions:funding_list": {"staff": 404},
        "GET regions:funding_update": {"staff": 404},
        "GET regions:group_account_create": {"staff": 404},
        "GET regions:group_create": {"staff": 404},
        "GET regions:group_detail": {"staff": 404},
        "GET regions:group_list": {"staff": 404},
        "GET regions:group_update": {"staff": 404},
        "GET regions:plan_create": {"staff": 404},
        "GET regions:plan_detail": {"staff": 404},
        "GET regions:plan_history": {"staff": 404},
        "GET regions:plan_list": {"staff": 404},
        "GET regions:plan_pdf": {"staff": 404},
        "GET regions:plan_print": {"staff": 404},
        "GET regions:plan_update": {"staff": 404},
        "GET regions:plan_xlsx": {"staff": 404},
        "GET regions:priority_create": {"staff": 404},
        "GET regions:priority_delete": {"staff": 404},
        "GET regions:priority_detail": {"staff": 404},
        "GET regions:priority_update": {"staff": 404},
        "GET regions:progress_create": {"staff": 404},
        "GET regions:theme_delete": {"staff": 404},
        "GET regions:theme_update": {"staff": 404},
        "GET regions:vote_create": {"staff": 404},
        "GET regions:vote_detail": {"staff": 404},
        "GET regions:vote_list": {"staff": 404},
        "POST regions:action_create": {"staff": 404},
        "POST regions:action_status": {"staff": 404},
        "POST regions:attachment_create": {"staff": 404},
        "POST regions:attachment_delete": {"staff": 404},
        "POST regions:candidate_priority_adopt": {"staff": 404},
        "POST regions:candidate_promote": {"staff": 404},
        "POST regions:funding_create": {"staff": 404},
        "POST regions:funding_delete": {"staff": 404},
        "POST regions:invitation_resend": {"staff": 404},
        "POST regions:invitation_revoke": {"staff": 404},
        "POST regions:plan_create": {"staff": 404},
        "POST regions:plan_update": {"staff": 404},
        "POST regions:priorities_renumber": {"staff": 404},
        "POST regions:priority_delete": {"staff": 404},
        "POST regions:priority_move": {"staff": 404},
        "POST regions:progress_create": {"staff": 404},
        "POST regions:theme_create": {"staff": 404},
        "POST regions:theme_delete": {"staff": 404},
        "POST regions:theme_move": {"staff": 404},
        "POST regions:vote_cast": {"staff": 404},
        "POST regions:vote_close": {"staff": 404},
        "POST regions:vote_delegate": {"staff": 404},
    },
)

# The "Are you sure?" page of each action (GET), answering as its POST (issue 14).
CASES += confirm_twins(
    CASES,
    {
        "regions:invitation_revoke",
        "regions:vote_close",
    },
)
