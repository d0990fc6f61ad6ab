"""Material's navigation, rendered once per set of links (overrides/partials/nav.html)."""

from __future__ import annotations

import shutil
from pathlib import Path

import material
import pytest

from ..conftest import ROOT, mkdocs_build

OVERRIDE = ROOT / "overrides" / "partials" / "nav.html"


def test_the_override_holds_materials_partial_as_it_is():
    # A Material upgrade that changes its navigation fails here rather than being masked by a stale copy.
    theirs = (Path(material.__file__).parent / "templates" / "partials" / "nav.html").read_text(encoding="utf-8")
    body = theirs.split("-#}\n", 1)[1]  # less its "generated, do not edit" comment
    ours = OVERRIDE.read_text(encoding="utf-8")
    assert "{% call digest_cached_nav(page) -%}\n" + body + "{%- endcall %}" in ours


@pytest.mark.build
def test_the_cached_navigation_gives_the_pages_materials_own_gives(seed_project, built_site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(seed_project, project)
    (project / "overrides" / "partials" / "nav.html").unlink()
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    ours = sorted(p.relative_to(built_site) for p in built_site.rglob("*.html"))
    assert ours == sorted(p.relative_to(site) for p in site.rglob("*.html"))
    differ = [p for p in ours if (built_site / p).read_bytes() != (site / p).read_bytes()]
    assert not differ, f"pages whose navigation differs from Material's own: {differ[:5]}"
