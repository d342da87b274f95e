"""What regions offers the header's search: LAs, people (only those the searcher may see),
priorities, actions, groups and regional updates. Registered in RegionsConfig.ready(); each kind narrows to the
searcher's regions and keeps only hits whose page they may open (same rules as the pages)."""

from django.db.models import Q

from accounts.models import User
from sli_portal.search import Hit
from sli_portal.search.kinds import OVERSAMPLE, visible
from sli_portal.search.text import matching

from .models import (
    Action,
    LocalAuthority,
    Membership,
    Plan,
    Priority,
    Region,
    RegionalGroup,
    Role,
    Update,
    UpdateStatus,
)
from .scope import user_scope


def _in_scope(user, field: str, *, partners: bool = False) -> Q:
    """Rows of the user's regions (administrators: every region), and with `partners` also of
    the regions they are a partner of (what a region opens to partners: its plan)."""
    scope = user_scope(user)
    if scope.is_admin:
        return Q()
    regions = scope.region_ids | (scope.partner_region_ids if partners else frozenset())
    return Q(**{f"{field}__in": regions})


def find_las(user, query: str, limit: int) -> list[Hit]:
    rows = matching(
        LocalAuthority.objects.select_related("region"), query, names=("name",), plain=("gss_code",)
    )[: limit * OVERSAMPLE]
    return [
        Hit(la.name, la.get_absolute_url(), f"{la.region.name} · {la.gss_code}")
        for la in visible(user, rows, "regions.view_localauthority", limit)
    ]


def find_people(user, query: str, limit: int) -> list[Hit]:
    """People with a role in the searcher's regions, shown where their LA (or region) lists
    them: only where the searcher may see people. One query: the memberships in scope whose
    person matches, best match first (each person at their first membership)."""
    where = _in_scope(user, "region_id") | _in_scope(user, "local_authority__region_id")
    rows = matching(
        Membership.objects.filter(where, user__is_active=True).select_related(
            "user", "region", "local_authority__region"
        ),
        query,
        names=("user__full_name",),
        plain=("user__email",),
    )[: limit * OVERSAMPLE * 2]  # a person may hold more than one role
    first: dict[int, Membership] = {}
    for membership in rows:
        first.setdefault(membership.user_id, membership)
    shown = visible(
        user, list(first.values()), "regions.view_people", limit, subject=lambda m: m.scope
    )
    hits = []
    for membership in shown:
        where_label = (
            membership.region.name
            if membership.role == Role.PROGRAMME_MANAGER
            else membership.local_authority.name
        )
        hits.append(
            Hit(
                membership.user.full_name,
                membership.scope.get_absolute_url(),
                f"{membership.get_role_display()}, {where_label}",
            )
        )
    return hits


def find_priorities(user, query: str, limit: int) -> list[Hit]:
    rows = matching(
        Priority.objects.filter(_in_scope(user, "plan__region_id", partners=True)).select_related(
            "plan"
        ),
        query,
        vector="search_vector",
        text=("title", "description", "lead"),
    )[: limit * OVERSAMPLE]
    return [
        Hit(str(p), p.get_absolute_url(), p.plan.title)
        for p in visible(user, rows, "regions.view_plan", limit)
    ]


def find_actions(user, query: str, limit: int) -> list[Hit]:
    rows = matching(
        Action.objects.filter(
            _in_scope(user, "priority__plan__region_id", partners=True)
        ).select_related("priority__plan"),
        query,
        vector="search_vector",
        text=("title",),
    )[: limit * OVERSAMPLE]
    return [
        Hit(a.title, a.priority.get_absolute_url(), f"Action on priority {a.priority}")
        for a in visible(user, rows, "regions.view_plan", limit)
    ]


def find_groups(user, query: str, limit: int) -> list[Hit]:
    rows = matching(
        RegionalGroup.objects.filter(_in_scope(user, "region_id")).select_related("region"),
        query,
        vector="search_vector",
        text=("name", "remit"),
    )[: limit * OVERSAMPLE]
    return [
        Hit(g.name, g.get_absolute_url(), g.region.name)
        for g in visible(user, rows, "regions.view_group", limit)
    ]


def _updates_in_scope(user) -> Q:
    """The updates a searcher may open (as `regions.view_update` says): published public ones
    of any region, published ones of their own regions and of the regions they are a partner
    of, and drafts of the regions they manage (administrators: all)."""
    scope = user_scope(user)
    if scope.is_admin:
        return Q()
    published = Q(status=UpdateStatus.PUBLISHED)
    readable = published & (
        Q(is_public=True) | Q(region_id__in=scope.region_ids | scope.partner_region_ids)
    )
    return readable | Q(region_id__in=scope.managed_region_ids)


def find_updates(user, query: str, limit: int) -> list[Hit]:
    rows = matching(
        Update.objects.filter(_updates_in_scope(user)).select_related("region"),
        query,
        vector="search_vector",
        text=("title", "summary", "body"),
        names=("title",),
    )[: limit * OVERSAMPLE]
    hits = []
    for update in visible(user, rows, "regions.view_update", limit):
        when = (
            f"published {update.publish_date:%-d %b %Y}"
            if update.is_published and update.publish_date
            else "draft"
        )
        hits.append(Hit(update.title, update.get_absolute_url(), f"{update.region.name}, {when}"))
    return hits


# What each kind reads for a user (its results' stamp: sli_portal.search.rows_for).


def _people_reads(user):
    where = _in_scope(user, "region_id") | _in_scope(user, "local_authority__region_id")
    return [
        Membership.objects.filter(where),
        User.objects.filter(pk__in=Membership.objects.filter(where).values("user_id")),
        Region.objects.all(),
        LocalAuthority.objects.all(),
    ]


def _plan_reads(user):
    return [
        Plan.objects.filter(_in_scope(user, "region_id", partners=True)),
        Priority.objects.filter(_in_scope(user, "plan__region_id", partners=True)),
    ]


def register() -> None:
    from sli_portal import search

    search.register(
        "Local authorities",
        find_las,
        order=10,
        reads=lambda user: [LocalAuthority.objects.all(), Region.objects.all()],
    )
    search.register("People", find_people, order=20, reads=_people_reads)
    search.register("Priorities", find_priorities, order=40, reads=_plan_reads)
    search.register(
        "Actions",
        find_actions,
        order=45,
        reads=lambda user: [
            *_plan_reads(user),
            Action.objects.filter(_in_scope(user, "priority__plan__region_id", partners=True)),
        ],
    )
    search.register(
        "Groups",
        find_groups,
        order=50,
        reads=lambda user: [
            RegionalGroup.objects.filter(_in_scope(user, "region_id")),
            Region.objects.all(),
        ],
    )
    search.register(
        "Regional updates",
        find_updates,
        order=55,
        reads=lambda user: [
            Update.objects.filter(_updates_in_scope(user)),
            Region.objects.all(),
        ],
    )
