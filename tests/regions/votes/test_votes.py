"""Priority voting: one ballot per LA through its DCS or a delegate, results, promotion."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from regions.models import Ballot
from regions.selectors.votes import vote_results
from regions.services import priorities as priority_services
from regions.services import votes as vote_services
from tests.regions.factories import VoteFactory


def _open_vote(world, **kw):
    kw.setdefault("method", "approval")
    kw.setdefault("max_choices", 2)
    return vote_services.vote_open(
        actor=world.users["programme_manager"],
        region=world.region,
        title="Summit vote",
        candidates=[
            ("Neglect", "Causes and what works"),
            ("Children in care", ""),
            ("Workforce", ""),
        ],
        closes_at=timezone.now() + timedelta(hours=2),
        **kw,
    )


def _ids(vote, *titles):
    by_title = {c.title: c.pk for c in vote.candidates.all()}
    return [by_title[t] for t in titles]


@pytest.mark.django_db
def test_each_la_casts_one_ballot_and_results_count_per_candidate(world):
    vote = _open_vote(world)
    vote_services.vote_cast(
        actor=world.users["dcs"],
        vote=vote,
        local_authority=world.home_la,
        candidate_ids=_ids(vote, "Neglect", "Children in care"),
    )
    vote_services.vote_cast(
        actor=world.users["peer_dcs"],
        vote=vote,
        local_authority=world.peer_la,
        candidate_ids=_ids(vote, "Neglect"),
    )
    with pytest.raises(ValidationError, match="Somerset has already voted"):
        vote_services.vote_cast(
            actor=world.users["dcs"],
            vote=vote,
            local_authority=world.home_la,
            candidate_ids=_ids(vote, "Workforce"),
        )
    results = {r.candidate.title: r.count for r in vote_results(vote=vote)}
    assert results == {"Neglect": 2, "Children in care": 1, "Workforce": 0}


@pytest.mark.django_db
def test_ranked_vote_gives_borda_points(world):
    vote = _open_vote(world, method="ranked")
    vote_services.vote_cast(
        actor=world.users["dcs"],
        vote=vote,
        local_authority=world.home_la,
        candidate_ids=_ids(vote, "Workforce", "Neglect"),
    )
    vote_services.vote_cast(
        actor=world.users["peer_dcs"],
        vote=vote,
        local_authority=world.peer_la,
        candidate_ids=_ids(vote, "Neglect", "Workforce"),
    )
    results = vote_results(vote=vote)
    assert [(r.candidate.title, r.points, r.first_choices) for r in results][:2] == [
        ("Neglect", 3, 1),
        ("Workforce", 3, 1),
    ] or [(r.candidate.title, r.points) for r in results][:2] == [("Workforce", 3), ("Neglect", 3)]
    assert results[-1].candidate.title == "Children in care"
    assert results[-1].points == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("choices", "words"),
    [
        ((), "at least one"),
        (("Neglect", "Children in care", "Workforce"), "at most 2"),
        (("Neglect", "Neglect"), "only once"),
    ],
)
def test_bad_ballots_are_refused_and_nothing_is_recorded(world, choices, words):
    vote = _open_vote(world)
    ids = [c for t in choices for c in _ids(vote, t)]
    with pytest.raises(ValidationError, match=words):
        vote_services.vote_cast(
            actor=world.users["dcs"], vote=vote, local_authority=world.home_la, candidate_ids=ids
        )
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_a_candidate_of_another_vote_is_refused(world):
    vote = _open_vote(world)
    other = VoteFactory(region=world.region)
    with pytest.raises(ValidationError, match="not a candidate in this vote"):
        vote_services.vote_cast(
            actor=world.users["dcs"],
            vote=vote,
            local_authority=world.home_la,
            candidate_ids=[other.candidates.first().pk],
        )


@pytest.mark.django_db
def test_only_the_las_dcs_or_its_delegate_may_cast_its_ballot(world):
    vote = _open_vote(world)
    neglect = _ids(vote, "Neglect")
    for persona in ("member", "peer_dcs", "programme_manager", "outsider"):
        with pytest.raises(ValidationError, match="cannot cast Somerset's ballot"):
            vote_services.vote_cast(
                actor=world.users[persona],
                vote=vote,
                local_authority=world.home_la,
                candidate_ids=neglect,
            )
    vote_services.vote_delegate(
        actor=world.users["dcs"],
        vote=vote,
        local_authority=world.home_la,
        user=world.users["member"],
    )
    ballot = vote_services.vote_cast(
        actor=world.users["member"], vote=vote, local_authority=world.home_la, candidate_ids=neglect
    )
    assert ballot.cast_by == world.users["member"]


@pytest.mark.django_db
def test_a_delegate_must_work_for_the_la(world):
    vote = _open_vote(world)
    with pytest.raises(ValidationError, match="no role in Somerset"):
        vote_services.vote_delegate(
            actor=world.users["dcs"],
            vote=vote,
            local_authority=world.home_la,
            user=world.users["peer_dcs"],
        )


@pytest.mark.django_db
def test_no_ballot_after_the_vote_closes_and_winners_are_promoted_once(world):
    from regions.models import Plan

    vote = _open_vote(world)
    vote_services.vote_cast(
        actor=world.users["dcs"],
        vote=vote,
        local_authority=world.home_la,
        candidate_ids=_ids(vote, "Neglect"),
    )
    plan = Plan.objects.create(region=world.region, title="P", start_year=2018, end_year=2020)
    theme = priority_services.theme_create(
        actor=world.users["programme_manager"], plan=plan, title="T"
    )
    winner = vote.candidates.get(title="Neglect")
    with pytest.raises(ValidationError, match="Close the vote"):
        vote_services.candidate_promote(
            actor=world.users["programme_manager"], candidate=winner, theme=theme
        )

    vote_services.vote_close(actor=world.users["programme_manager"], vote=vote)
    with pytest.raises(ValidationError, match="has closed"):
        vote_services.vote_cast(
            actor=world.users["peer_dcs"],
            vote=vote,
            local_authority=world.peer_la,
            candidate_ids=_ids(vote, "Workforce"),
        )
    priority = vote_services.candidate_promote(
        actor=world.users["programme_manager"], candidate=winner, theme=theme
    )
    assert (priority.number, priority.title, priority.description) == (
        1,
        "Neglect",
        "Causes and what works",
    )
    with pytest.raises(ValidationError, match="already priority 1"):
        vote_services.candidate_promote(
            actor=world.users["programme_manager"], candidate=winner, theme=theme
        )


@pytest.mark.django_db
def test_vote_closes_by_itself_at_its_closing_time(world):
    vote = VoteFactory(region=world.region, closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="has closed"):
        vote_services.vote_cast(
            actor=world.users["dcs"],
            vote=vote,
            local_authority=world.home_la,
            candidate_ids=[vote.candidates.first().pk],
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"candidates": [("Only one", "")]}, "at least two"),
        ({"candidates": [("A", ""), ("a", "")]}, "same title"),
        ({"max_choices": 4}, "between 1 and 3"),
        ({"closes_at": "past"}, "in the future"),
    ],
)
def test_vote_open_refuses_bad_input(world, kwargs, words):
    params = {
        "title": "Vote",
        "candidates": [("A", ""), ("B", ""), ("C", "")],
        "closes_at": timezone.now() + timedelta(days=1),
    }
    params.update(kwargs)
    if params["closes_at"] == "past":
        params["closes_at"] = timezone.now() - timedelta(minutes=1)
    with pytest.raises(ValidationError, match=words):
        vote_services.vote_open(
            actor=world.users["programme_manager"], region=world.region, **params
        )


@pytest.mark.django_db
def test_database_holds_one_ballot_per_la_per_vote(world):
    vote = VoteFactory(region=world.region)
    Ballot.objects.create(vote=vote, local_authority=world.home_la)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, local_authority=world.home_la)


@pytest.mark.django_db(transaction=True)
def test_double_submitted_ballot_is_recorded_once(world):
    """The DCS and their delegate (or one double click) submit Somerset's ballot at the same
    instant on two connections: one ballot is recorded, the other is told the LA has voted."""
    assert connection.vendor == "postgresql"
    vote = _open_vote(world)
    vote_services.vote_delegate(
        actor=world.users["dcs"],
        vote=vote,
        local_authority=world.home_la,
        user=world.users["member"],
    )
    neglect = _ids(vote, "Neglect")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(user):
        try:
            barrier.wait(timeout=5)
            vote_services.vote_cast(
                actor=user, vote=vote, local_authority=world.home_la, candidate_ids=neglect
            )
            outcomes.append("cast")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit, args=(world.users[p],)) for p in ("dcs", "member")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert Ballot.objects.filter(vote=vote, local_authority=world.home_la).count() == 1
    assert sorted(outcomes) == ["Somerset has already voted in “Summit vote”.", "cast"]
