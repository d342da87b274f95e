"""Profile bench pages in-process with pyinstrument, on the data `make bench` built.

    BENCH_ONLY="dashboard" .venv/bin/python bench/profile.py   # or `make bench-profile`

Each page is requested as its bench user: twice to warm the caches, then timed without the
profiler (PROFILE_TIMED requests, default 200: the ms/request printed, to compare with the bare
view and the signed-in layout, which are always timed too), then PROFILE_REQUESTS times (default
20) under the profiler; prints the query count per request and the call tree (frames under 1 ms
per request hidden; PROFILE_REQUESTS=0 skips it). Uses the bench database and Redis (bench/run.py's
settings).
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "20"))
TIMED = int(os.environ.get("PROFILE_TIMED", "200"))
BARE = "bare Django view"
LAYOUT = "signed-in layout, no content"


def _timed(client, path: str) -> tuple[float, float]:
    """The best of three runs of TIMED requests, in ms per request (the least disturbed by the
    other processes of a shared machine): wall time, and this process's CPU time (without the
    waits for PostgreSQL and Redis, and their own CPU)."""
    best_wall = best_cpu = float("inf")
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(TIMED):
            client.get(path)
        best_wall = min(best_wall, (time.perf_counter() - wall) * 1000 / TIMED)
        best_cpu = min(best_cpu, (time.process_time() - cpu) * 1000 / TIMED)
    return best_wall, best_cpu


def main() -> None:
    from pyinstrument import Profiler

    env = {**run.SERVER_ENV}
    if url := run.redis_url():
        env["REDIS_URL"] = url
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sli_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import PAGES, layout_reference

    targets = [
        (BARE, lambda: ("/bench/bare/", None)),
        (LAYOUT, layout_reference),
        *run._chosen(PAGES),
    ]
    timings = []
    for name, target in targets:
        chosen = not run.ONLY or any(word in name for word in run.ONLY)
        if not chosen and name not in (BARE, LAYOUT):
            continue
        path, user = target()
        client = Client()
        if user is not None:
            client.force_login(user)
            assert settings.SESSION_COOKIE_NAME in client.cookies
        for _ in range(2):
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        # Read now: the next request's request_started signal empties the log they index into.
        queries = list(captured.captured_queries)
        if TIMED:
            timings.append((name, *_timed(client, path), len(queries)))
        if not chosen or not REQUESTS:
            continue
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(REQUESTS):
            client.get(path)
        profiler.stop()
        print(f"\n===== {name} ({path}): {len(queries)} queries warm =====")
        for query in queries:
            print("   ", query["sql"][:160])
        print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False))
    if timings:
        bare_wall, bare_cpu = timings[0][1:3]
        print(f"\nIn-process, warm, best of 3 x {TIMED} requests (Django's test client):")
        for name, wall, cpu, count in timings:
            print(
                f"  {name:<32} {wall:7.3f} ms/request ({bare_wall / wall:4.0%} of bare), "
                f"CPU {cpu:6.3f} ms ({bare_cpu / cpu:4.0%}), {count} queries"
            )


if __name__ == "__main__":
    main()
