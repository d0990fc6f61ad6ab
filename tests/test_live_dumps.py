"""The live dumps/ as the curator has them today: a real strict build of this project.

Nothing here pins a count or a paper: the dumps grow. Every expectation is derived from
them (tests/conftest.py's ``assert_*``), so a valid dump added as the README says passes.
"""

from __future__ import annotations

import pytest

from generator.cli import main

from .conftest import ROOT, assert_site_content, mkdocs_build

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("live") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


def test_the_live_site_holds_every_paper_once_listed_and_linked(live_site):
    assert_site_content(ROOT, live_site)


def test_the_live_site_passes_the_deploy_guard(live_site, capsys):
    assert main(["--root", str(ROOT), "verify", str(live_site)]) == 0


def test_the_live_dumps_check_without_errors(capsys):
    assert main(["--root", str(ROOT), "check"]) == 0
    assert "0 error(s)" in capsys.readouterr().out
