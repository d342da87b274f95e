"""Rendered report fragments, cached under the data stamp of what they show.

The rug and datapack pages cost ~0.4 s to compute and render at England scale, and are the same
for every viewer allowed to see them. The fragment is stored in the cache (Redis) under a key
made of ``selectors.report_pages.data_stamp`` (any change of data gives a new stamp), the report's
options, and a fingerprint of the code and templates that make it (a deploy that changes them
never serves an old rendering). Stale entries are never read again and expire.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache
from django.template.loader import get_template

from benchmarking.domain import cells, charts, computation, reports
from benchmarking.templatetags import benchmarking_reports

logger = logging.getLogger(__name__)

FRAGMENT_TTL_SECONDS = 60 * 60 * 24
FRAGMENT_TEMPLATES = (
    "benchmarking/reports/_rug_table.html",
    "benchmarking/reports/_datapack_summary.html",
    "benchmarking/reports/_datapack_indicators.html",
)


@functools.cache
def code_version() -> str:
    digest = hashlib.sha256()
    for module in (cells, charts, computation, reports, benchmarking_reports):
        digest.update(Path(module.__file__).read_bytes())
    for name in FRAGMENT_TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    return digest.hexdigest()[:16]


def cached_fragments(
    kind: str, stamp: str | None, options: tuple, render: Callable[[], dict[str, str]]
) -> dict[str, str]:
    """``render()`` (named HTML fragments) once per stamp and options; computed every time
    when there is no stamp (off PostgreSQL). A cache outage costs speed, never the page."""
    if stamp is None:
        return render()
    key = (
        "report-fragment:"
        + hashlib.sha256(repr((kind, stamp, options, code_version())).encode()).hexdigest()
    )
    try:
        found = cache.get(key)
    except Exception:  # the cache server is down: render without it
        logger.warning("report cache unavailable", exc_info=True)
        return render()
    if found is None:
        found = render()
        try:
            cache.set(key, found, FRAGMENT_TTL_SECONDS)
        except Exception:
            logger.warning("report cache unavailable", exc_info=True)
    return found
