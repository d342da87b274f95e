"""One helper renders and sends every email from templates/emails/<name>_{subject,body}.*

The plain-text parts (subject and text body) are rendered without HTML escaping, so "O'Brien"
reads as written; the HTML part keeps Django's autoescaping. One renderer decides this for every
email, so no template needs `{% autoescape off %}`."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.template.loader import render_to_string


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str
    to: list[str]
    reply_to: list[str] | None = None
    headers: dict[str, str] | None = None

    def send(self) -> None:
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text,
            to=self.to,
            reply_to=self.reply_to,
            from_email=settings.DEFAULT_FROM_EMAIL,
            headers=self.headers,
        )
        message.attach_alternative(self.html, "text/html")
        message.send()


def render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template with autoescaping off (Django's `Context(autoescape=False)`,
    as `{% autoescape off %}` around the whole template would)."""
    template = engines["django"].engine.get_template(template_name)  # type: ignore[attr-defined]
    return template.render(Context(context, autoescape=False))


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html). The subject is one line: every run of whitespace, line breaks
    included (also U+2028 and the like), becomes one space, so no header can be injected."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    subject = " ".join(render_text(f"emails/{name}_subject.txt", context).split())
    text = render_text(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    return subject, text, html


def send_email(
    name: str, to: list[str], context: dict, *, reply_to: list[str] | None = None
) -> None:
    subject, text, html = render_email(name, context)
    RenderedEmail(subject, text, html, to, reply_to).send()
