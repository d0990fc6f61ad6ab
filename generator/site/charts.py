"""Trend charts as inline SVG: drawn at build time, no script, no other host.

Each chart is a picture of numbers the page also gives as text or a table, so
a reader without the picture misses nothing. Colours come from the theme's CSS
variables (see docs/stylesheets/digest.css), so charts follow light and dark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from ..models import Digest, Topic
from .index import SiteIndex


MAX_COLUMNS = 12
"""Trends show at most this many digests; past that, the last twelve months."""


@dataclass(frozen=True)
class Period:
    """One column of a trend: a digest, or a month of digests."""

    label: str
    digests: tuple[Digest, ...]


def timeline(view: SiteIndex) -> list[Period]:
    """The x axis of every trend, oldest first: each dated digest while there are
    few, else each of the last ``MAX_COLUMNS`` months, so pages stay small."""
    dated = sorted((d for d in view.site.digests if d.date), key=lambda d: d.date)
    if len(dated) <= MAX_COLUMNS:
        return [Period(short_date(d), (d,)) for d in dated]
    months: dict[tuple[int, int], list[Digest]] = {}
    for digest in dated:
        months.setdefault((digest.date.year, digest.date.month), []).append(digest)
    return [Period(f"{dt.date(y, m, 1):%b %Y}", tuple(months[(y, m)])) for y, m in sorted(months)[-MAX_COLUMNS:]]


def counts_per_period(view: SiteIndex, topic: str, periods: Sequence[Period]) -> list[int]:
    """How many distinct papers of the topic each period's digests list."""
    members = set(view.topic_papers.get(topic, ()))
    return [len({k for d in p.digests for k in d.paper_keys if k in members}) for p in periods]


def bar_chart(label: str, columns: Sequence[str], values: Sequence[float], *, width: int = 320,
              height: int = 90, shown: Sequence[str] | None = None) -> Markup:
    """A small bar chart with the value (or its ``shown`` text) above each bar and the column under it."""
    top = max(values, default=0) or 1
    slot = width / max(len(values), 1)
    bar = slot * 0.6
    plot = height - 34
    parts = [
        f'<svg class="digest-chart" role="img" aria-label={quoteattr(label)} viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]
    for i, (column, value) in enumerate(zip(columns, values)):
        x = i * slot + (slot - bar) / 2
        h = plot * value / top
        y = 14 + plot - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="2"/>')
        text = shown[i] if shown is not None else value
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{escape(str(text))}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(column)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def heatmap(label: str, rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float]], *,
            row_label_width: int = 250, cell: int = 60, row_height: int = 22,
            shown: Sequence[Sequence[str]] | None = None, links: Sequence[str] | None = None) -> Markup:
    """One row per topic, one cell per digest, shaded by value, its ``shown`` text (or the
    value) written in; with ``links``, each row's label links to its topic."""
    top = max((v for row in values for v in row), default=0) or 1
    width = row_label_width + cell * len(columns)
    height = 22 + row_height * len(rows)
    parts = [
        # With links to the topics it is a group of links, not one picture (axe: nested-interactive).
        f'<svg class="digest-chart digest-heatmap" role="{"group" if links else "img"}" aria-label={quoteattr(label)} '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]
    for j, column in enumerate(columns):
        parts.append(f'<text x="{row_label_width + j * cell + cell / 2:.0f}" y="14" '
                     f'text-anchor="middle">{escape(column)}</text>')
    for i, (row, counts) in enumerate(zip(rows, values)):
        y = 22 + i * row_height
        name = f'<text x="{row_label_width - 8}" y="{y + 15}" text-anchor="end">{escape(row)}</text>'
        parts.append(f'<a href={quoteattr(links[i])}>{name}</a>' if links else name)
        for j, count in enumerate(counts):
            x = row_label_width + j * cell
            opacity = 0.08 + 0.92 * count / top if count else 0.04
            parts.append(f'<rect x="{x + 2}" y="{y + 2}" width="{cell - 4}" height="{row_height - 4}" rx="2" '
                         f'fill-opacity="{opacity:.2f}"/>')
            if count:
                text = shown[i][j] if shown is not None else count
                parts.append(f'<text class="{"on-dark" if opacity > 0.55 else ""}" x="{x + cell / 2:.0f}" '
                             f'y="{y + 15}" text-anchor="middle">{escape(str(text))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def short_date(digest: Digest) -> str:
    return f"{digest.date:%b} {digest.date.day}" if digest.date else digest.title


@dataclass(frozen=True)
class Trends:
    """Papers per topic in each period, oldest first."""

    periods: list[Period]
    rows: list[tuple[Topic, list[int]]]
    totals: list[int]
    """Distinct papers in each period: what the shares are shares of."""

    @property
    def columns(self) -> list[str]:
        return [p.label for p in self.periods]

    @property
    def unit(self) -> str:
        return "digest" if all(len(p.digests) == 1 and p.label == short_date(p.digests[0])
                               for p in self.periods) else "month"

    def counts_of(self, slug: str) -> list[int]:
        return next(counts for topic, counts in self.rows if topic.slug == slug)

    def shares_of(self, slug: str) -> list[float]:
        """The topic's papers as a share of each period's papers (digests differ in size)."""
        return [count / total if total else 0.0 for count, total in zip(self.counts_of(slug), self.totals)]

    def heatmap(self, label: str, links: Sequence[str] | None = None) -> Markup:
        shares = [self.shares_of(t.slug) for t, _ in self.rows]
        return heatmap(label, [t.name for t, _ in self.rows], self.columns, shares,
                       shown=[[percent(v) for v in row] for row in shares], links=links)

    def bar_chart(self, label: str, slug: str) -> Markup:
        shares = self.shares_of(slug)
        return bar_chart(label, self.columns, shares, shown=[percent(v) for v in shares])


def percent(share: float) -> str:
    """A share as readers write it: ``11%``, ``5.9%`` under ten, ``0%`` for none."""
    value = share * 100
    return f"{value:.1f}%" if 0 < value < 10 else f"{value:.0f}%"


def topic_trends(view: SiteIndex) -> Trends:
    periods = timeline(view)
    totals = [len({k for d in p.digests for k in d.paper_keys if k in view.papers}) for p in periods]
    return Trends(periods, [(t, counts_per_period(view, t.slug, periods)) for t in view.site.topics], totals)
