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
    if kind == "saved":
        return "/saved/"
    if kind == "topics":
        return "/topics/"
    if kind == "papers":
        return "/papers/"
    if kind == "missing":
        return "/no-such-page/"
    raise ValueError(kind)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} -- {targets}{more}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["home", "topic", "paper", "digest", "archive", "saved", "topics", "papers",
                                  "missing"])
def test_no_serious_accessibility_violations(open_reader, built_site, axe_source, kind, scheme):
    reader = open_reader(color_scheme=scheme)
    path = sample_path(kind, built_site)
    if kind == "missing":
        reader.watch.expected_missing.add(path)
    reader.open(path, status=404 if kind == "missing" else 200)
    if kind in ("digest", "home"):
        # With the reader's extras showing: a saved paper, a seen one, and marks for new ones.
        reader.page.evaluate("""() => { const slug = document.querySelector('li[data-paper]').dataset.paper;
            localStorage.setItem('digest-reader', JSON.stringify({saved: {[slug]: {title: 'x', url: '/', at: 1}},
            seen: {[slug]: 1}, visits: {last: '2000-01-02', previous: '2000-01-01'}})); }""")
        reader.page.reload()
    if kind == "saved":
        reader.page.evaluate("""() => localStorage.setItem('digest-reader', JSON.stringify(
            {saved: {a: {title: 'A saved paper', url: '/', at: 1}}, seen: {}, visits: {}}))""")
        reader.page.reload()
    reader.page.add_script_tag(content=axe_source)
    results = reader.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{path} ({scheme}):\n{describe(blocking)}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_panel_and_keyboard_help_have_no_serious_violations(open_reader, built_site, axe_source, scheme):
    from playwright.sync_api import expect

    from .conftest import search

    reader = open_reader(color_scheme=scheme)
    reader.open(first_subpage(built_site, "digests"))
    expect(search(reader.page, "quantization").first).to_be_visible()
    reader.page.get_by_role("button", name="Filter by topic or digest").click()
    expect(reader.page.locator("select[data-filter=topic]")).to_be_visible()
    reader.page.add_script_tag(content=axe_source)
    results = reader.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"search panel ({scheme}):\n{describe(blocking)}"
    reader.page.keyboard.press("Escape")
    reader.page.keyboard.press("?")
    expect(reader.page.locator("#digest-help")).to_be_visible()
    results = reader.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"keyboard help ({scheme}):\n{describe(blocking)}"
