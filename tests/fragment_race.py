"""For tests of cached page bodies: a write committed while a request is between its permission
fetch and its body's data stamp (sli_portal.fragments), the one moment a body could be rendered
from rows older than the stamp it is kept under."""

import functools
from collections.abc import Callable

from sli_portal import fragments


def write_just_before_the_stamp(monkeypatch, write: Callable[[], None]) -> None:
    """The next body's key runs `write` first (once), as if it committed just then."""
    original = fragments.Fragment.__dict__["key"].func
    done = []

    def key(self):
        if not done:
            done.append(True)
            write()
        return original(self)

    prop = functools.cached_property(key)
    prop.__set_name__(fragments.Fragment, "key")
    monkeypatch.setattr(fragments.Fragment, "key", prop)
