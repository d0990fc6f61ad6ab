"""Page furniture: what a copy of the listing page holds around its papers.

Front matter, capture headers, menus, login and subscribe links, avatars,
organisation lines, comment counts, ``Submitted by``, image lines, ``[LINK: …]``
and text fences are skipped silently by the parsers of the Markdown-like
shapes; these predicates say what each one looks like, on one trimmed line.
Links, paper metadata and abstracts are the parsers' business, not this module's.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

_FENCE = re.compile(r"(?:`{3,}|~{3,})[\w+.-]*")
_RULE = re.compile(r"(?:-[ \t]*){3,}|(?:=[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,}")
# The label may hold escaped brackets ("\\]"), so "[An abstract \\]: here](url)" is no definition.
_REFERENCE_DEFINITION = re.compile(r"^[ \t]{0,3}\[((?:[^\]\\\n]|\\.)+)\]:[ \t]*<?([^\s>]+)>?", re.MULTILINE)
_IMAGE = r"!\[[^\]]*\]\([^)]*\)"
_IMAGE_LINE = re.compile(
    rf"(?:[-*+][ \t]+)?(?:{_IMAGE}|\[{_IMAGE}[^\]]*\]\([^)]*\)|\[\[[^\]]*\]\]\([^)]*\)|\[\[[^\]]*\]\])[ \t]*(?:\\\\?)?")
IMAGE_ANYWHERE = re.compile(_IMAGE)
_TOOL_LINK = re.compile(r"\[(?:LINK|IMAGE|IMG|VIDEO)\s*:.*", re.IGNORECASE)
_SUBMITTED_BY = re.compile(r"submitted\s+by\b.*", re.IGNORECASE)
_DOTS = {"\u00b7", "\u2022", "|", "\u2014", "-", "*"}
_BARE_URL = re.compile(r"<?https?://\S+>?")
_CAPTURE_HEADER = re.compile(
    r"(?:[-*+][ \t]+)?(?:\*\*|__)?(?:url|source|source url|captured(?:[ \t]*\(utc\))?(?:[ \t]+at)?|retrieved(?:[ \t]+at)?"
    r"|saved(?:[ \t]+at)?|fetched(?:[ \t]+at)?|clipped(?:[ \t]+at)?|title|date|author)[ \t]*(?:\*\*|__)?[ \t]*:.*",
    re.IGNORECASE)
_WEB_SOURCE = re.compile(r"#{1,6}[ \t]+(?:web[ \t]+source|source|capture|web[ \t]+capture)[ \t]*", re.IGNORECASE)
_TRUNCATION = re.compile(r"[\[(]?[ \t]*(?:content[ \t]+)?truncated[ \t]*(?:\.\.\.|\u2026)?[ \t]*[\])]?", re.IGNORECASE)
_ACCOUNT = re.compile(r"(?:log[ \t]*in|sign[ \t]*(?:in|up)|subscribe|upvote|follow|join)\b.*", re.IGNORECASE)
_ACCOUNT_URL = re.compile(r"/(?:login|join|signup|sign-up|subscribe)\b", re.IGNORECASE)
_RULE_STARTS = "`~-=_*"
_FRONT_MATTER_FIELD = re.compile(r"[\w .()-]{1,40}:(?:[ \t].*)?|[-*+][ \t].*|[ \t].*|#.*")
ACCOUNT_LINK_MAX_WORDS = 4
FRONT_MATTER_MAX_LINES = 80
"""A ``---`` block longer than this is not front matter: the parser reports it."""


def reference_definitions(text: str) -> dict[str, str]:
    """``[32]: https://…`` definitions anywhere in ``text``: label (lower case) -> URL."""
    found: dict[str, str] = {}
    for match in _REFERENCE_DEFINITION.finditer(text):
        found.setdefault(match.group(1).strip().lower(), match.group(2))
    return found


def is_reference_definition(line: str) -> bool:
    return "]:" in line and _REFERENCE_DEFINITION.match(line) is not None


def is_fence_or_rule(line: str) -> bool:
    """A text fence around the whole page (```` ``` ````, ``~~~text``) or a horizontal rule."""
    # First-character tests first: every line of a copy passes through here.
    return line[:1] in _RULE_STARTS and (_FENCE.fullmatch(line) is not None or _RULE.fullmatch(line) is not None)


def is_front_matter_field(line: str) -> bool:
    return not line or _FRONT_MATTER_FIELD.fullmatch(line) is not None


def is_image_line(line: str) -> bool:
    """Thumbnails, avatars, organisation logos (``[![org](…)Org Name](…)``), alt-text placeholders."""
    return line[:1] in "[!-*+" and _IMAGE_LINE.fullmatch(line) is not None


def is_tool_link(line: str) -> bool:
    """``[LINK: GitHub 11.3k](…)``: a notebook tool's rendering of a button."""
    return line[:1] == "[" and _TOOL_LINK.fullmatch(line) is not None


def is_submitted_by(line: str) -> bool:
    return (line[:1] in "Ss" and len(line) < 80 and len(line.split()) <= ACCOUNT_LINK_MAX_WORDS + 2
            and _SUBMITTED_BY.fullmatch(line) is not None)


def is_separator(line: str) -> bool:
    """The dot between authors and date, and other lone punctuation."""
    return line in _DOTS


def is_bare_url(line: str) -> bool:
    return line[:1] in "<h" and _BARE_URL.fullmatch(line) is not None


def is_capture_header(line: str) -> bool:
    """``# Web source``, ``- URL: …``, ``- Captured (UTC): …``, ``**URL:** …`` before the page."""
    return _CAPTURE_HEADER.fullmatch(line) is not None or _WEB_SOURCE.fullmatch(line) is not None


def is_truncation_marker(line: str) -> bool:
    """``[Content truncated]``: the tool that made the copy stopped here."""
    return len(line) < 40 and "runcated" in line and _TRUNCATION.fullmatch(line) is not None


def is_account_link(text: str, url: str | None) -> bool:
    """Log in, sign up, subscribe, follow: links to the site's account pages."""
    if len(text.split()) > ACCOUNT_LINK_MAX_WORDS:
        return False  # an abstract that links to a login page is still an abstract
    return _ACCOUNT.fullmatch(text) is not None or (url is not None and _ACCOUNT_URL.search(unquote(url)) is not None)


def without_images(text: str) -> str:
    """Text with every ``![alt](src)`` taken out (avatar lists carry a dozen)."""
    return IMAGE_ANYWHERE.sub(" ", text) if "![" in text else text
