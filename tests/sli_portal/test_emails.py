"""Every email the portal sends, rendered from its real outbox row with names as people write
them: the plain-text parts (subject and text body) carry them verbatim, the HTML part escaped.

Before the fix the text parts were HTML-escaped (autoescape on for .txt templates): subjects and
bodies read "O&#x27;Brien" and "&lt;b&gt;Bold&lt;/b&gt; &amp; Co".
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from benchmarking.models import ChaseEmail, ChaseOccasion
from events.models import Message as EventMessage
from events.models import MessageRecipient, NoticeKind
from events.models import Notice as EventNotice
from notifications.models import Notification, NotificationDigest
from peer_challenge.models import Notice as PeerNotice
from peer_challenge.models import NoticeOccasion
from regions.models import Invitation, Role
from sli_portal.emails import RenderedEmail, render_email
from tests.benchmarking.factories import open_quarter
from tests.events.factories import DelegateFactory, EventFactory, WorkshopFactory
from tests.peer_challenge.factories import annual_cycle, sa_of
from tests.world import build_world

pytestmark = pytest.mark.django_db

EMAILS_DIR = Path(__file__).resolve().parents[2] / "templates" / "emails"
NAME = "Siobhán O'Brien"
HOSTILE = "<b>Bold</b> & Co"
ESCAPED_NAME = "Siobhán O&#x27;Brien"
ESCAPED_HOSTILE = "&lt;b&gt;Bold&lt;/b&gt; &amp; Co"


@pytest.fixture
def world():
    """The shared world with an LA, an event, a cycle and every recipient named awkwardly."""
    world = build_world()
    world.home_la.name = f"{NAME}'s {HOSTILE}"
    world.home_la.save(update_fields=["name"])
    for user in world.users.values():
        user.full_name = f"{NAME} {HOSTILE}"
        user.save(update_fields=["full_name"])
    return world


def _event_notice(world, kind):
    event = EventFactory(
        region=world.region,
        title=f"{NAME}'s summit: {HOSTILE}",
        venue=f"{HOSTILE} Hall",
        starts_at=timezone.now() + timedelta(days=20),
    )
    delegate = DelegateFactory(event=event, local_authority=world.home_la, full_name=NAME)
    delegate.choices.create(session=WorkshopFactory(event=event, title=HOSTILE), rank=1)
    return EventNotice.objects.create(
        event=event,
        delegate=delegate,
        kind=kind,
        occasion=f"{kind}:1",
        email=delegate.email,
        name=f"{NAME} {HOSTILE}",
    )


def _peer_notice(world, occasion):
    cycle = annual_cycle(world, title=f"{NAME}'s cycle {HOSTILE}")
    # Opening the cycle may already have recorded this notice.
    notice, _ = PeerNotice.objects.get_or_create(
        self_assessment=sa_of(cycle, world.home_la),
        recipient=world.users["dcs"],
        occasion=occasion,
    )
    return notice


def _chase(world, occasion):
    period = open_quarter(world.region)
    return ChaseEmail.objects.create(
        local_authority=world.home_la, period=period, occasion=occasion
    )


def _invitation(world, _):
    return Invitation.objects.create(
        email="new.dcs@example.org",
        full_name=f"{NAME} {HOSTILE}",
        role=Role.DCS,
        local_authority=world.home_la,
        invited_by=world.users["programme_manager"],
        expires_at=timezone.now() + timedelta(days=7),
    )


def _update_email(world, _):
    from regions.models import UpdateEmail
    from tests.regions.updates.conftest import make_update

    update = make_update(
        world, title=f"{NAME}'s update: {HOSTILE}", body=f"## News\n\nFrom {HOSTILE}."
    )
    return UpdateEmail.objects.create(update=update, email="member@example.org", is_member=True)


def _opt_in(world, _):
    from regions.models import OptInEmail, Subscriber

    subscriber = Subscriber.objects.create(
        region=world.region, email="partner@example.org", name=f"{NAME} {HOSTILE}"
    )
    return OptInEmail.objects.create(subscriber=subscriber, day=timezone.localdate())


def _notification(world, _):
    return Notification.objects.create(
        recipient=world.users["dcs"],
        kind="vote_opened",
        occasion="vote:1",
        text=f"Vote open: {NAME}'s vote on {HOSTILE}",
        url="/votes/1/",
    )


def _digest(world, _):
    digest = NotificationDigest.objects.create(
        recipient=world.users["dcs"], day=timezone.localdate()
    )
    _notification(world, _).__class__.objects.update(digest=digest, delivery="digest")
    return digest


def _event_message(world, _):
    event = EventFactory(region=world.region, title=f"{NAME}'s summit: {HOSTILE}")
    message = EventMessage.objects.create(
        event=event,
        audience="delegates",
        subject=f"{NAME}'s parking {HOSTILE}",
        body=HOSTILE,
        sent_by=world.users["programme_manager"],
    )
    return MessageRecipient.objects.create(message=message, email="ann@example.org", name=NAME)


CASES = (
    [("event_message", _event_message, None)]
    + [("notification", _notification, None), ("notification_digest", _digest, None)]
    + [("event_notice", _event_notice, kind) for kind in NoticeKind.values]
    + [(f"peer_{occasion}", _peer_notice, occasion) for occasion in NoticeOccasion.values]
    + [("return_chase", _chase, occasion) for occasion in ChaseOccasion.values]
    + [("invitation", _invitation, None)]
    + [("regional_update", _update_email, None)]
    + [("update_subscription_confirm", _opt_in, None)]
)


def test_the_cases_cover_every_email_template():
    names = {path.name.removesuffix("_subject.txt") for path in EMAILS_DIR.glob("*_subject.txt")}
    assert {template for template, _, _ in CASES} == names
    for name in names:
        for part in ("_body.txt", "_body.html"):
            assert (EMAILS_DIR / f"{name}{part}").exists()


@pytest.mark.parametrize(("template", "make", "kind"), CASES, ids=[f"{t}-{k}" for t, _, k in CASES])
def test_text_parts_read_as_written_and_html_part_is_escaped(world, template, make, kind):
    email = make(world, kind).outbox_email()
    assert email.template == template
    subject, text, html = render_email(email.template, email.context)

    # Every email names someone or something awkwardly named, in the subject or the body.
    assert NAME in subject + text
    assert HOSTILE in text
    for part in (subject, text):
        assert "&#x27;" not in part and "&lt;" not in part and "&amp;" not in part
    assert "\n" not in subject and "\r" not in subject

    assert ESCAPED_HOSTILE in html
    assert ESCAPED_NAME in html
    assert HOSTILE not in html and NAME not in html


def test_a_line_break_in_a_title_cannot_add_a_header(world):
    """The subject is one line, whatever the title holds (CR, LF, Unicode line separators)."""
    notice = _event_notice(world, NoticeKind.EVENT_CANCELLED)
    notice.event.title = f"{NAME}\r\nBcc: victim@example.org\u2028X-Evil: 1 {HOSTILE}"
    notice.event.save(update_fields=["title"])
    email = notice.outbox_email()
    subject, text, html = render_email(email.template, email.context)
    assert subject == f"Cancelled: {NAME} Bcc: victim@example.org X-Evil: 1 {HOSTILE}"

    mail.outbox.clear()
    RenderedEmail(subject, text, html, email.to).send()
    [sent] = mail.outbox
    message = sent.message()
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert sent.recipients() == email.to
    assert sent.subject == subject
