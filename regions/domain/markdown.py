"""Markdown to HTML that is safe to show anyone: on the page, in the feed, the PDF and email.

The programme manager writes Markdown; `markdown` renders it and `nh3` (ammonia) keeps only
the tags and attributes an article needs. Raw HTML in the Markdown is escaped first, so a
`<script>` reads as text; links keep only http(s), mailto and relative URLs, so a
`javascript:` link loses its href; every link gets `rel="noopener noreferrer"`.
"""

import re
from html import unescape

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


class _EscapeHtml(markdown_lib.Extension):
    """Treat raw HTML in the Markdown as text (belt and braces: nh3 would drop it too)."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str) -> str:
    html = markdown_lib.markdown(
        text or "", extensions=[_EscapeHtml(), "sane_lists", "tables"], output_format="html"
    )
    return sanitise_html(html)


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def plain_text(html: str) -> str:
    """The article as plain text for the email's text part: no tags, entities decoded."""
    # A link keeps its address in brackets (only the sanitised http(s)/mailto ones are left).
    html = re.sub(r'<a href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", html, flags=re.DOTALL)
    html = re.sub(r"</(p|h2|h3|h4|tr|blockquote|pre)>", lambda m: f"</{m[1]}>\n", html)
    html = re.sub(r"<li>", "- ", html)
    text = nh3.clean(html, tags=set())
    lines = [line.rstrip() for line in unescape(text).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
