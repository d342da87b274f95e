"""Profile bench pages in-process with pyinstrument, on the data `make bench` built.

    BENCH_ONLY="dashboard" .venv/bin/python bench/profile.py   # or `make bench-profile`

Each page is requested as its bench user: twice to warm the caches, then PROFILE_REQUESTS times
(default 20) under the profiler; prints the query count per request and the call tree (frames
under 1 ms per request hidden). Uses the bench database and Redis (bench/run.py's settings).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402

REQUESTS = int(os.environ.get("PROFILE_REQUESTS", "20"))


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

    targets = [("signed-in layout, no content", layout_reference), *run._chosen(PAGES)]
    for name, target in targets:
        if run.ONLY and not any(word in name for word in run.ONLY):
            continue
        path, user = target()
        client = Client()
        if user is not None:  # None: an anonymous (public) page
            client.force_login(user)
            assert settings.SESSION_COOKIE_NAME in client.cookies
        for _ in range(2):
            client.get(path)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(REQUESTS):
            client.get(path)
        profiler.stop()
        print(f"\n===== {name} ({path}): {len(queries)} queries warm =====")
        for query in queries:
            print("   ", query["sql"][:160])
        print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False))


if __name__ == "__main__":
    main()
