"""Parts of Material's pages rendered once per folder (generator/mkdocs/fragments.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import material
import pytest

from ..conftest import ROOT, mkdocs_build

PARTIALS = ROOT / "overrides" / "partials"
_CALL = re.compile(r'\{% call digest_cached\("[a-z-]+", page, base_url\) (-?)%\}')


def test_the_navigation_override_holds_materials_partial_as_it_is():
    # A Material upgrade that changes its navigation fails here rather than being masked by a stale copy.
    theirs = (Path(material.__file__).parent / "templates" / "partials" / "nav.html").read_text(encoding="utf-8")
    body = theirs.split("-#}\n", 1)[1]  # less its "generated, do not edit" comment
    ours = (PARTIALS / "nav.html").read_text(encoding="utf-8")
    assert '{% call digest_cached("nav", page, base_url) -%}\n' + body + "{%- endcall %}" in ours


def test_the_header_is_cached_around_the_title_only():
    header = (PARTIALS / "header.html").read_text(encoding="utf-8")
    assert [m.group(0) for m in _CALL.finditer(header)] == [
        '{% call digest_cached("header-start", page, base_url) -%}', '{% call digest_cached("header-end", page, base_url) %}']
    between = header.split("header-start")[1].split("header-end")[0]
    assert "page.title" in between and "page.meta.title" in between


_PARENT = re.compile(r'\{\{ digest_cached\("[a-z-]+", page, base_url, super\) \}\}')


def uncached(template: str) -> str:
    """The same template without the caches: each call becomes an ``if`` with the same whitespace
    control, and each cached parent block is rendered in place."""
    template = _PARENT.sub("{{ super() }}", template)
    return _CALL.sub(lambda m: "{% if true " + m.group(1) + "%}", template).replace("endcall", "endif")


@pytest.mark.build
def test_the_cached_parts_give_the_pages_that_rendering_each_gives(seed_project, built_site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(seed_project, project)
    partials = project / "overrides" / "partials"
    (partials / "nav.html").unlink()  # Material's own
    for template in (partials / "header.html", project / "overrides" / "main.html"):
        template.write_text(uncached(template.read_text(encoding="utf-8")), encoding="utf-8")
        assert "digest_cached" not in template.read_text(encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    ours = sorted(p.relative_to(built_site) for p in built_site.rglob("*.html"))
    assert ours == sorted(p.relative_to(site) for p in site.rglob("*.html"))
    differ = [p for p in ours if (built_site / p).read_bytes() != (site / p).read_bytes()]
    assert not differ, f"pages whose cached parts differ from rendering each: {differ[:5]}"
