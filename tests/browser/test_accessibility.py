"""axe-core on the pages readers land on: no serious or critical violations.

axe-core comes from npm (package.json, ``npm ci``) and is injected into the
page as it is served, after the page's own scripts have run.
"""

from __future__ import annotations

import pytest

from .site_facts import first_subpage, paper_pages

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def sample_path(kind: str, site) -> str:
    """One page of each kind, chosen from the built site so that the test follows the content."""
    if kind == "home":
        return "/"
    if kind == "archive":
        return "/digests/"
    if kind == "topic":
        return first_subpage(site, "topics", exclude=("unsorted",))
    if kind == "digest":
        return first_subpage(site, "digests")
    if kind == "paper":
        return paper_pages(site)[0].path
    raise ValueError(kind)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} -- {targets}{more}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["home", "topic", "paper", "digest", "archive"])
def test_no_serious_accessibility_violations(open_reader, built_site, axe_source, kind, scheme):
    reader = open_reader(color_scheme=scheme)
    path = sample_path(kind, built_site)
    reader.open(path)
    reader.page.add_script_tag(content=axe_source)
    results = reader.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{path} ({scheme}):\n{describe(blocking)}"
