"""The digest plugin's options in ``mkdocs.yml``, typed with MkDocs' own config options.

MkDocs validates them before a build starts, so a mistyped path or a value of
the wrong type is reported by MkDocs itself, naming the option.
"""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..enrich.quality import QualityGates
from ..ingest.limits import DEFAULT_LIMITS, Limits


class _Share(c.BaseConfigOption[float]):
    """A share from 0 to 1 (``0.95``); YAML's ``0`` and ``1`` are numbers too."""

    def __init__(self, default: float) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise c.ValidationError(f"expected a share from 0 to 1, such as 0.95, not {value!r}")
        return float(value)


class LimitsConfig(Config):
    """The largest input a build accepts; past one, the dump or entry is refused (see the README)."""

    title_chars = c.Type(int, default=DEFAULT_LIMITS.title_chars)
    abstract_chars = c.Type(int, default=DEFAULT_LIMITS.abstract_chars)
    dump_bytes = c.Type(int, default=DEFAULT_LIMITS.dump_bytes)
    papers_per_dump = c.Type(int, default=DEFAULT_LIMITS.papers_per_dump)

    def as_limits(self) -> Limits:
        return Limits(self.title_chars, self.abstract_chars, self.dump_bytes, self.papers_per_dump)


class DigestConfig(Config):
    """Paths are relative to mkdocs.yml."""

    dumps = c.Dir(exists=True, default="dumps")
    topics = c.File(exists=True, default="topics.yml")
    curation = c.Optional(c.File(exists=True))
    """The curator's overrides; without the option, ``curation.yml`` beside mkdocs.yml if it exists."""
    templates = c.Optional(c.Dir(exists=True))
    """A folder of Jinja templates that replace the built-in ones of the same name."""
    search = c.Type(bool, default=True)
    """Index the generated pages with Pagefind while MkDocs writes the site, and show its search box in the header."""
    search_split_from = c.Type(int, default=20_000)
    """From this many dated papers on, each year but the newest gets a search index of its own,
    which the search box adds when the reader asks for earlier years (a first search then
    downloads one year's index, not the archive's)."""
    cache = c.Optional(c.Type(str))
    """A folder for the build cache (parsed dumps, topics, related papers, the search
    index's bundles), kept between builds; off unless set. The environment variable
    DIGEST_CACHE sets it too."""
    limits = c.SubConfig(LimitsConfig)
    # Quality gates: editorial quality is always reported; these let it block publishing (off by default).
    min_topic_share = _Share(default=0.0)
    """Warn (which fails the strict build that publishes) when fewer papers than this share have a topic."""
    fail_on_near_duplicates = c.Type(bool, default=False)
    """Warn (failing the strict build) when two papers' titles are so alike they may be the same paper."""

    @property
    def quality_gates(self) -> QualityGates:
        return QualityGates(self.min_topic_share, self.fail_on_near_duplicates)
