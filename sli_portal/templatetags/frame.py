"""`{% frame_cache %}`: parts of the shared frame (head links, header, footer) rendered once per
process for each combination of the values they show.

    {% load frame %}
    {% frame_cache nav_key user.full_name notifications_unread search_query %}
      ... markup that reads nothing but the values named above and constants ({% url %}, {% static %})
    {% endframe_cache %}

A pure memo: the fragment is kept in this process's memory under its place in the template and
the values named, so it can never show anything else than rendering it again would, as long as
every value the markup reads is named. The one per-request value allowed inside is the CSRF
token (`{% csrf_token %}`, `{{ csrf_token }}`): the fragment is rendered with a per-process
random placeholder in its place and kept in pieces, and each request's own (masked) token is put
back between them, so a cached fragment never carries anyone's token. Nothing is shared between processes or users, nothing touches Redis
(so an outage changes nothing here), and nothing expires but the whole memo when it grows past
`MAX_FRAGMENTS` (bounded memory). Off with `DEBUG` (templates are re-read on every request then).

Why: the frame is rendered on every page, and Django's template engine spent ~55% of the
signed-in layout's CPU on its ~60 nodes (navigation loop, URL reversals, static URLs), which
are the same for a user from one request to the next.
"""

from __future__ import annotations

import itertools
import secrets

from django import template
from django.conf import settings
from django.template.loader_tags import BlockNode
from django.utils.safestring import mark_safe

from sli_portal.memo import ProcessMemo

register = template.Library()

MAX_FRAGMENTS = 2_000
_fragments = ProcessMemo(max_items=MAX_FRAGMENTS)
# Each block, as parsed, gets its own number: blocks are told apart by it (never by id(), which
# a later block could reuse once a template is forgotten).
_serials = itertools.count()
# Stands for the CSRF token while a fragment is rendered for the memo: random per process, so no
# value shown in a fragment (a name, a search) can be mistaken for it; letters and digits only,
# so escaping leaves it as it is.
_TOKEN_HOLE = "csrfhole" + secrets.token_hex(16)


def _frozen(value):
    """A hashable stand-in for a value (lists and dicts, e.g. the navigation's items)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    return value


class FrameCacheNode(template.Node):
    # What it holds is not walked for {% block %}s (Django walks a parent template's whole tree
    # for them on every render of a page that extends it): there are none, do_frame_cache refuses
    # them, since a block a page overrides would be memoised as the first page filled it.
    child_nodelists = ()

    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on
        self.serial = next(_serials)

    def render(self, context):
        if settings.DEBUG:
            return self.nodelist.render(context)
        key = (self.serial, tuple(variable.resolve(context) for variable in self.vary_on))
        try:
            pieces = _fragments.get(key)
        except TypeError:  # a list or a dict among the values (e.g. the navigation's items)
            key = (self.serial, _frozen(key[1]))
            try:
                pieces = _fragments.get(key)
            except TypeError:  # an unhashable value: never guess, render
                return self.nodelist.render(context)
        if pieces is None:
            token = context.get("csrf_token")
            if not token or token == "NOTPROVIDED":  # no token to put back: render as it is
                return self.nodelist.render(context)
            with context.push(csrf_token=_TOKEN_HOLE):
                pieces = tuple(self.nodelist.render(context).split(_TOKEN_HOLE))
            _fragments.set(key, pieces)
        if len(pieces) == 1:
            return mark_safe(pieces[0])
        return mark_safe(str(context.get("csrf_token")).join(pieces))


@register.tag("frame_cache")
def do_frame_cache(parser, token):
    nodelist = parser.parse(("endframe_cache",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% frame_cache %} cannot hold a {% block %}")
    vary_on = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    return FrameCacheNode(nodelist, vary_on)


def clear() -> None:
    """Forget every fragment (tests)."""
    _fragments.clear()


class PageCacheNode(template.Node):
    """`{% page_cache fragment %}...{% endpage_cache %}`: a page's body kept in the cache under a
    `sli_portal.fragments.Fragment`'s key (its rows' stamp, the viewer, the code). See there."""

    def __init__(self, nodelist, fragment):
        self.nodelist = nodelist
        self.fragment = fragment

    def render(self, context):
        from django.core.cache import cache

        from sli_portal import fragments

        fragment = self.fragment.resolve(context)
        token = context.get("csrf_token")
        key = fragment.key if fragment is not None else None
        if key is None or not token or token == "NOTPROVIDED":
            return self.nodelist.render(context)
        pieces = fragments.bodies.get(key)
        if pieces is None:
            pieces = cache.get(key)
            if pieces is not None:
                fragments.bodies.set(key, pieces)
        if pieces is None:
            with fragments.TablesRead() as read, context.push(csrf_token=_TOKEN_HOLE):
                html = self.nodelist.render(context)
            uncovered = read.tables - fragment.tables - fragments.FRAME_TABLES
            if uncovered:
                fragments.logger.error(
                    "page fragment %s reads %s, which its stamp does not cover: not cached",
                    fragment.name,
                    ", ".join(sorted(uncovered)),
                )
            pieces = tuple(html.split(_TOKEN_HOLE))
            if not uncovered:
                cache.set(key, pieces, fragments.FRAGMENT_TTL_SECONDS)
                fragments.bodies.set(key, pieces)
        return mark_safe(str(token).join(pieces))


@register.tag("page_cache")
def do_page_cache(parser, token):
    nodelist = parser.parse(("endpage_cache",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% page_cache fragment %} takes one argument")
    return PageCacheNode(nodelist, parser.compile_filter(bits[1]))
