"""Regional updates against every persona (see tests/url_matrix.py): the signed-in pages, then
the public pages, which every persona (anonymous included) gets alike."""

from django.utils import timezone

from regions.models import PublicProfile, Tag, Update, UpdateStatus, unsubscribe_token
from tests.url_matrix import UrlCase, confirm_twins, expect

EVERYONE = expect(200, anonymous=200)
NOBODY = expect(404, anonymous=404)
READ = expect(200, outsider=404, staff=404)
MANAGE_GET = expect(403, admin=200, programme_manager=200, outsider=404, staff=404)
# A published public update is seen by every signed-in person: the others are refused (403).
MANAGE_PUBLISHED = expect(403, admin=302, programme_manager=302)
# A draft is the programme manager's until published: nobody else learns of it (404).
MANAGE_DRAFT = expect(404, admin=302, programme_manager=302)


def _profile(w, region=None):
    PublicProfile.objects.update_or_create(
        region=region or w.region, defaults={"is_enabled": True, "noindex": False}
    )


def _update(w, *, published=True, region=None) -> Update:
    region = region or w.region
    _profile(w, region)
    update = Update.objects.create(
        region=region,
        title="South West Regional Update June 2018",
        body="## Summit\n\nIn Taunton.",
        body_html="<h2>Summit</h2><p>In Taunton.</p>",
        status=UpdateStatus.PUBLISHED if published else UpdateStatus.DRAFT,
        publish_date=timezone.localdate() if published else None,
        published_at=timezone.now() if published else None,
    )
    tag, _ = Tag.objects.get_or_create(slug="sli", defaults={"name": "SLI"})
    update.tags.add(tag)
    return update


def _published(w):
    return {"pk": _update(w).pk}


def _draft(w):
    return {"pk": _update(w, published=False).pk}


def _public_region(w):
    _update(w)
    return {"slug": w.region.slug}


def _public_update(w, published=True):
    return {"slug": w.region.slug, "pk": _update(w, published=published).pk}


def _public_tag(w):
    _update(w)
    return {"slug": w.region.slug, "tag": "sli"}


CASES = [
    UrlCase("regions:update_home", expect(302)),
    UrlCase("regions:update_list", READ, kwargs=lambda w: {"slug": w.region.slug}),
    UrlCase(
        "regions:update_start",
        expect(403, admin=302, programme_manager=302, outsider=404, staff=404),
        kwargs=lambda w: {"slug": w.region.slug},
        method="post",
    ),
    UrlCase("regions:public_settings", MANAGE_GET, kwargs=lambda w: {"slug": w.region.slug}),
    UrlCase("regions:update_detail", expect(200), kwargs=_published),
    UrlCase(
        "regions:update_detail",
        expect(404, admin=200, programme_manager=200),
        kwargs=_draft,
        label="draft",
    ),
    UrlCase("regions:update_edit", expect(404, admin=200, programme_manager=200), kwargs=_draft),
    UrlCase(
        "regions:update_edit",
        expect(403, admin=200, programme_manager=200),
        kwargs=_published,
        label="published",
    ),
    UrlCase("regions:update_publish", MANAGE_DRAFT, kwargs=_draft, method="post"),
    UrlCase("regions:update_unpublish", MANAGE_PUBLISHED, kwargs=_published, method="post"),
    UrlCase("regions:update_send", MANAGE_PUBLISHED, kwargs=_published, method="post"),
    UrlCase(
        "regions:update_emails", expect(403, admin=200, programme_manager=200), kwargs=_published
    ),
    UrlCase("regions:update_pdf", expect(200), kwargs=_published),
    # Public pages: the same for everyone, signed in or not.
    UrlCase("regions:public_region", EVERYONE, kwargs=_public_region),
    UrlCase(
        "regions:public_region",
        NOBODY,
        kwargs=lambda w: {"slug": w.other_region.slug},
        label="public pages off",
    ),
    UrlCase("regions:public_feed", EVERYONE, kwargs=_public_region),
    UrlCase("regions:public_update", EVERYONE, kwargs=_public_update),
    UrlCase(
        "regions:public_update",
        NOBODY,
        kwargs=lambda w: _public_update(w, published=False),
        label="draft",
    ),
    UrlCase("regions:public_update_pdf", EVERYONE, kwargs=_public_update),
    UrlCase("regions:public_tag", EVERYONE, kwargs=_public_tag),
    UrlCase("regions:public_tag_feed", EVERYONE, kwargs=_public_tag),
    UrlCase("regions:subscribe", EVERYONE, kwargs=_public_region),
    UrlCase(
        "regions:subscribe_confirm",
        expect(400, anonymous=400),
        kwargs=lambda w: {"slug": _public_region(w)["slug"], "token": "not-a-token"},
    ),
    UrlCase(
        "regions:unsubscribe",
        EVERYONE,
        kwargs=lambda w: {
            "slug": w.region.slug,
            "token": unsubscribe_token(w.region.pk, "partner@example.org"),
        },
    ),
]

# The "Are you sure?" page of each action (GET), answering as its POST (issue 14).
CASES += confirm_twins(
    CASES,
    {
        "regions:update_publish",
        "regions:update_send",
        "regions:update_unpublish",
    },
)
