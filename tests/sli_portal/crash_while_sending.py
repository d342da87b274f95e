"""A worker that dies (like `kill -9`) while the mail server is receiving its email.

Run as `python -m tests.sli_portal.crash_while_sending <notice pk>` against the test database:
it delivers one events notice through the outbox and exits with 137 from inside the send.
"""

import os
import sys

import django
from django.core.mail.backends.base import BaseEmailBackend


class DiesWhileSending(BaseEmailBackend):
    def send_messages(self, email_messages):
        os._exit(137)


def main(pk: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sli_portal.settings")
    django.setup()
    from django.conf import settings

    from sli_portal import outbox

    settings.EMAIL_BACKEND = f"{__name__}.DiesWhileSending"
    outbox.deliver("events.Notice", pk)
    sys.exit("the email was sent without the worker dying")


if __name__ == "__main__":
    main(int(sys.argv[1]))
