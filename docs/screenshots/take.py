"""`make screenshots`: the main page of each module at 1280 and 390 px, as the demo's programme
manager sees it, written to docs/screenshots/ (linked from the README).

It builds the demo in a throwaway SQLite database (migrate, load_reference_data, seed_demo), serves
it with `runserver` on a free port, signs in through the real form in Debian's Chromium
(Playwright, no `playwright install`) and saves small palette PNGs of the visible window.
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WIDTHS = {"1280": {"width": 1280, "height": 800}, "390": {"width": 390, "height": 844}}
PAGES = [  # (file name, path, who)
    ("dashboard", "/", "programme_manager"),
    ("plans", "/regions/{region}/plans/", "programme_manager"),
    ("events", "/events/", "programme_manager"),
    ("peer-challenge", "/peer-challenge/", "programme_manager"),
    ("data-returns", "/benchmarking/", "performance_lead"),
    ("reports", "/benchmarking/reports/", "programme_manager"),
    ("local-authorities", "/las/", "dcs"),
    ("sign-in", "/accounts/login/", None),
]


def manage(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return done.stdout.decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not start")


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="sli-screenshots-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
        "REDIS_URL": "",
        "DEBUG": "true",
        "MEDIA_ROOT": f"{tmp}/media",
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_reference_data")
    seeded = manage(env, "seed_demo")
    password = re.search(r"with password: (\S+)", seeded).group(1)
    emails = dict(re.findall(r"^  (\S[\w ]*?)\s{2,}(\S+@\S+)$", seeded, re.M))
    emails = {name.replace(" ", "_"): email for name, email in emails.items()}
    region = re.search(r"Demo region: ([^(]+) \(", seeded).group(1).strip()
    region_slug = region.lower().replace(" ", "-")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            for who in sorted({who for _, _, who in PAGES}, key=str):
                context = browser.new_context(base_url=base, locale="en-GB")
                page = context.new_page()
                if who:
                    page.goto("/accounts/login/")
                    page.get_by_label("Email address").fill(emails[who])
                    page.get_by_label("Password").fill(password)
                    page.get_by_role("button", name="Sign in").click()
                    page.wait_for_load_state("networkidle")
                for name, path, owner in PAGES:
                    if owner != who:
                        continue
                    for width, size in WIDTHS.items():
                        page.set_viewport_size(size)
                        page.goto(path.format(region=region_slug))
                        page.wait_for_load_state("networkidle")
                        target = OUT / f"{name}-{width}.png"
                        page.screenshot(path=str(target))
                        # A 256-colour palette keeps each file small in the repository.
                        Image.open(target).convert("RGB").quantize(colors=256).save(
                            target, optimize=True
                        )
                        print(f"{target.relative_to(ROOT)}  ({target.stat().st_size // 1024} KB)")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
