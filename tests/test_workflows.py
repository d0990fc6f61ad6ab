"""The GitHub Actions workflows, checked offline.

Every workflow must pass GitHub's workflow schema (check-jsonschema's vendored
copy) and zizmor's offline audits with no high-severity finding. On top of that
the workflows must do what README.md promises: test and build with README's own
commands, refuse to publish a site that lost papers, and publish to Pages with
the least permissions that can. The checks are functions returning a list of
problems, so each one is also shown to catch a deliberately broken workflow.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent

PUBLISH_PATHS = [
    "dumps/**", "topics.yml", "curation.yml", "generator/**", "overrides/**", "docs/**",
    "mkdocs.yml", "pyproject.toml", "dev.py", "package.json", "package-lock.json",
]
PAGES_ACTIONS = ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages")
ZIZMOR_IGNORE = re.compile(r"#\s*zizmor:\s*ignore\[[^\]]*\]")
PINNED_USES = re.compile(r"^\s*(?:-\s*)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$")


# ---------------------------------------------------------------- helpers

def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """The `on:` mapping; YAML 1.1 reads the bare key `on` as True."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    return on or {}


def steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def runs(job: dict) -> list[str]:
    return [s["run"] for s in steps(job) if "run" in s]


def uses(step: dict) -> str:
    """The action a step uses, without its ref: `actions/checkout`."""
    return step.get("uses", "").split("@")[0]


def readme_commands() -> set[str]:
    """Every `python3 dev.py <command>` README.md documents."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"python3 dev\.py \w+", text))


def dev_py_lines(run: str) -> list[str]:
    return [line.strip() for line in run.splitlines() if "dev.py" in line]


def tool(name: str) -> str:
    found = BIN / name
    if not found.exists():
        found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: install the test extras (`python3 dev.py test` does)")
    return str(found)


def schema_errors(paths: list[Path]) -> str:
    """check-jsonschema's complaint about these workflows, or "" when they are valid."""
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True, text=True,
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


def high_findings(paths: list[Path]) -> list[str]:
    """zizmor's high-severity findings (offline audits, regular persona)."""
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--no-config", "--no-exit-codes", "--no-progress", "--format", "json",
         *map(str, paths)],
        capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, f"zizmor failed to run:\n{result.stderr}"
    return [
        f"{f['ident']}: {f['desc']}"
        for f in json.loads(result.stdout)
        if f["determinations"]["severity"] == "High"
    ]


# ------------------------------------------------- checks: lists of problems

def permission_problems(workflow: dict, may_write: set[str] = frozenset()) -> list[str]:
    """Least privilege: nothing at the top, writes only in the jobs named."""
    problems = []
    top = workflow.get("permissions")
    if top not in ({}, {"contents": "read"}):
        problems.append(f"top-level permissions are {top!r}, not {{}} or contents: read")
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions") or {}
        if not isinstance(granted, dict):
            problems.append(f"job {name} has permissions {granted!r}")
            continue
        writes = {scope for scope, level in granted.items() if level == "write"}
        if name in may_write:
            if writes != {"pages", "id-token"}:
                problems.append(f"job {name} writes {sorted(writes)}, not pages + id-token")
        elif writes:
            problems.append(f"job {name} writes {sorted(writes)}")
    return problems


def publish_problems(workflow: dict) -> list[str]:
    """What the publishing workflow must do, in order."""
    problems = []
    on = triggers(workflow)
    push = on.get("push") or {}
    if push.get("branches") != ["main"]:
        problems.append(f"push branches are {push.get('branches')!r}, not [main]")
    missing = [p for p in PUBLISH_PATHS if p not in (push.get("paths") or [])]
    if missing:
        problems.append(f"push paths lack {missing}")
    if "workflow_dispatch" not in on:
        problems.append("no workflow_dispatch: cannot be rerun by hand")

    jobs = workflow["jobs"]
    builders = [n for n, j in jobs.items() if any(uses(s) == "actions/upload-pages-artifact" for s in steps(j))]
    deployers = [n for n, j in jobs.items() if any(uses(s) == "actions/deploy-pages" for s in steps(j))]
    if len(builders) != 1 or len(deployers) != 1:
        return problems + [f"upload-pages-artifact in {builders}, deploy-pages in {deployers}"]
    build, deploy = jobs[builders[0]], jobs[deployers[0]]

    order = []
    for step in steps(build):
        run = step.get("run", "")
        if "python3 dev.py build" in dev_py_lines(run):
            order.append("build")
        if re.search(r"-m generator verify site\b", run):
            order.append("verify")
        if uses(step) in PAGES_ACTIONS:
            order.append(uses(step))
    wanted = ["actions/configure-pages", "build", "verify", "actions/upload-pages-artifact"]
    if order != wanted:
        problems.append(f"build job does {order}, not {wanted}")
    upload = next(s for s in steps(build) if uses(s) == "actions/upload-pages-artifact")
    if (upload.get("with") or {}).get("path") != "site":
        problems.append("the Pages artifact is not site/")

    configure = next((s for s in steps(build) if uses(s) == "actions/configure-pages"), {})
    builder = next((s for s in steps(build) if "python3 dev.py build" in dev_py_lines(s.get("run", ""))), {})
    base_url = f"steps.{configure.get('id')}.outputs.base_url"
    if not any(base_url in str(v) for v in (builder.get("env") or {}).values()) or "SITE_URL" not in builder["run"]:
        problems.append("the build does not take SITE_URL from configure-pages' base_url")

    needs = deploy.get("needs") or []
    needs = [needs] if isinstance(needs, str) else needs
    if builders[0] not in needs or not any(jobs[n].get("uses", "").endswith("/test.yml") for n in needs):
        problems.append(f"deploy needs {needs}: not both the tests and the build")
    environment = deploy.get("environment") or {}
    deploy_step = next(s for s in steps(deploy) if uses(s) == "actions/deploy-pages")
    if environment.get("name") != "github-pages" or \
            environment.get("url") != f"${{{{ steps.{deploy_step.get('id')}.outputs.page_url }}}}":
        problems.append(f"deploy environment is {environment!r}")

    concurrency = workflow.get("concurrency") or {}
    if not concurrency.get("group") or concurrency.get("cancel-in-progress") is not False:
        problems.append(f"concurrency {concurrency!r} may cancel a deployment in progress")
    return problems + permission_problems(workflow, may_write={deployers[0]})


# ------------------------------------------------------------------ tests

def all_workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def test_the_three_workflows_exist():
    assert [p.name for p in all_workflows()] == ["publish.yml", "pull-request.yml", "test.yml"]


def test_workflows_match_githubs_schema():
    assert schema_errors(all_workflows()) == ""


def test_zizmor_finds_nothing_high():
    assert high_findings(all_workflows()) == []


BAD_WORKFLOW = """\
on: pull_request_target
permissions: write-all
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
"""


def without_zizmor_ignores(paths: list[Path], folder: Path) -> list[Path]:
    """Copies of the workflows with every `# zizmor: ignore[...]` comment removed."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in paths:
        copy = folder / path.name
        copy.write_text(ZIZMOR_IGNORE.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
        copies.append(copy)
    return copies


def test_no_inline_ignore_hides_a_high_finding(tmp_path):
    # An ignore comment may quiet a low finding with a reason; a high one gets fixed.
    assert high_findings(without_zizmor_ignores(all_workflows(), tmp_path / "workflows")) == []


def test_ignore_stripping_exposes_a_silenced_high_finding(tmp_path):
    silenced = tmp_path / "silenced.yml"
    silenced.write_text(UNPINNED_IMAGE_WORKFLOW, encoding="utf-8")
    assert high_findings([silenced]) == []  # the inline ignore works on zizmor itself
    found = high_findings(without_zizmor_ignores([silenced], tmp_path / "stripped"))
    assert any(f.startswith("unpinned-images") for f in found), found


UNPINNED_IMAGE_WORKFLOW = """\
on: push
permissions: {}
jobs:
  test:
    runs-on: ubuntu-24.04
    container:
      image: python # zizmor: ignore[unpinned-images]
    steps:
      - run: python3 --version
"""


def test_the_validators_reject_a_bad_workflow(tmp_path):
    insecure = tmp_path / "insecure.yml"
    insecure.write_text(BAD_WORKFLOW, encoding="utf-8")
    invalid = tmp_path / "invalid.yml"
    invalid.write_text(BAD_WORKFLOW.replace("    runs-on: ubuntu-latest\n", "    runs-on: 12\n"), encoding="utf-8")

    assert schema_errors([insecure]) == ""  # valid, only dangerous
    assert "runs-on" in schema_errors([invalid])
    found = high_findings([insecure])
    assert any(f.startswith("template-injection") for f in found), found
    assert any(f.startswith("dangerous-triggers") for f in found), found


def test_publish_workflow_tests_builds_verifies_and_deploys():
    assert publish_problems(load("publish.yml")) == []


@pytest.mark.parametrize("breakage, complaint", [
    (lambda w: w["jobs"]["build"]["steps"].pop(
        next(i for i, s in enumerate(w["jobs"]["build"]["steps"]) if "verify" in s.get("run", ""))),
     "build job does"),
    (lambda w: w["jobs"]["build"]["permissions"].update(contents="write"), "writes ['contents']"),
    (lambda w: w.update(permissions="write-all"), "top-level permissions"),
    (lambda w: triggers(w)["push"]["paths"].remove("dumps/**"), "push paths lack ['dumps/**']"),
    (lambda w: triggers(w).pop("workflow_dispatch"), "workflow_dispatch"),
    (lambda w: w["concurrency"].update({"cancel-in-progress": True}), "concurrency"),
    (lambda w: w["jobs"]["deploy"].update(needs=["build"]), "deploy needs"),
], ids=["no-verify", "build-writes", "write-all", "no-dumps-path", "no-dispatch", "cancels", "skips-tests"])
def test_publish_checks_catch_a_broken_workflow(breakage, complaint):
    workflow = load("publish.yml")
    breakage(workflow)
    assert any(complaint in p for p in publish_problems(workflow)), publish_problems(workflow)


def test_pull_requests_run_tests_and_a_strict_build():
    workflow = load("pull-request.yml")
    assert "pull_request" in triggers(workflow)
    assert "pull_request_target" not in triggers(workflow)
    jobs = workflow["jobs"]
    assert any(job.get("uses") == "./.github/workflows/test.yml" for job in jobs.values())
    assert any("python3 dev.py build" in dev_py_lines(r) for job in jobs.values() for r in runs(job))
    assert permission_problems(workflow) == []


def test_the_test_workflow_runs_the_browser_tests_with_the_runners_chromium():
    workflow = load("test.yml")
    job = workflow["jobs"]["test"]
    # GitHub's Ubuntu images ship /usr/bin/chromium; Ubuntu's apt package is a snap stub.
    assert job["runs-on"].startswith("ubuntu-") and "container" not in job
    names = [s.get("name", "") or uses(s) for s in steps(job)]
    check = names.index("Chromium for the browser tests")
    test = next(i for i, s in enumerate(steps(job)) if "python3 dev.py test" in dev_py_lines(s.get("run", "")))
    assert check < test, "Chromium is checked after the tests ran"
    assert "/usr/bin/chromium" in steps(job)[check]["run"] and "exit 1" in steps(job)[check]["run"]
    assert not any("skip" in line for line in steps(job)[test]["run"].splitlines()), "browser tests skipped"
    assert any(uses(s) == "actions/setup-node" for s in steps(job)), "npm is needed for axe-core"
    assert permission_problems(workflow) == []


def test_dev_py_build_is_strict():
    # The workflows build with README's command; that command must be strict.
    assert re.search(r'command == "build":.*?"build", "--strict"', (ROOT / "dev.py").read_text(), re.S)


def test_workflows_run_exactly_readmes_commands():
    documented = readme_commands()
    assert {"python3 dev.py test", "python3 dev.py build"} <= documented
    used = set()
    for path in all_workflows():
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for run in runs(job):
                for line in dev_py_lines(run):
                    assert line in documented, f"{path.name} runs {line!r}, which README.md does not document"
                    used.add(line)
    assert used == {"python3 dev.py test", "python3 dev.py build"}


def test_every_job_is_pinned_bounded_and_credential_free():
    for path in all_workflows():
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if re.match(r"^\s*(-\s*)?uses:", line) and "./.github/workflows/" not in line:
                assert PINNED_USES.match(line), f"{path.name}: not pinned to a commit with a version comment: {line}"
        for name, job in yaml.safe_load(text)["jobs"].items():
            if "uses" in job:  # a call of our reusable test workflow
                continue
            assert isinstance(job.get("timeout-minutes"), int), f"{path.name}: job {name} has no timeout"
            for step in steps(job):
                if uses(step) == "actions/checkout":
                    assert step["with"]["persist-credentials"] is False, f"{path.name}: {name} keeps the token"
                if uses(step) == "actions/setup-python":
                    assert step["with"] == {"python-version": "3.11", "cache": "pip",
                                            "cache-dependency-path": "pyproject.toml"}, path.name


def test_no_expression_is_pasted_into_a_shell_script():
    # Untrusted values (branch names, titles) reach scripts only through env.
    for path in all_workflows():
        for job in yaml.safe_load(path.read_text())["jobs"].values():
            for run in runs(job):
                assert "${{" not in run, f"{path.name}: expression inside run: {run!r}"


# ------------------------------------------ the workflows' shell, executed

def step_named(workflow: str, job: str, words: str) -> dict:
    return next(s for s in steps(load(workflow)["jobs"][job]) if words in s.get("name", ""))


def executable(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}).stdout


@pytest.fixture
def pull_request(tmp_path):
    """A repository with a base commit, and a fake .venv python that logs its arguments."""
    repo = tmp_path / "repo"
    (repo / "dumps").mkdir(parents=True)
    for name in ("000_a.txt", "001_b.txt", "manifest.yml"):
        (repo / "dumps" / name).write_text("x\n")
    (repo / "README.md").write_text("x\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    log = tmp_path / "calls"
    executable(repo / ".venv" / "bin" / "python", f'printf "%s|" "$@" >> "{log}"; echo >> "{log}"\n')
    (repo / ".gitignore").write_text(".venv/\n")

    def change_and_check(edit) -> list[str]:
        edit(repo)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "--allow-empty", "-m", "change")
        script = step_named("pull-request.yml", "build", "Check the dumps")["run"]
        subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=repo, check=True,
                       env={**os.environ, "BASE_SHA": base}, capture_output=True)
        return log.read_text().splitlines() if log.exists() else []
    return change_and_check


def test_dump_check_gets_the_changed_dumps(pull_request):
    def edit(repo):
        (repo / "dumps" / "001_b.txt").write_text("changed\n")
        (repo / "dumps" / "002 new.txt").write_text("new\n")
    assert pull_request(edit) == ["-m|generator|check|dumps/001_b.txt|dumps/002 new.txt|"]


def test_dump_check_checks_everything_when_only_the_manifest_changed(pull_request):
    assert pull_request(lambda repo: (repo / "dumps" / "manifest.yml").write_text("y\n")) == ["-m|generator|check|"]


def test_dump_check_stays_quiet_without_dump_changes(pull_request):
    assert pull_request(lambda repo: (repo / "README.md").write_text("y\n")) == []


def test_site_url_from_the_pages_address_ends_in_one_slash(tmp_path):
    fake = executable(tmp_path / "bin" / "python3", 'echo "$SITE_URL"\n')
    script = step_named("publish.yml", "build", "Build")["run"]
    for given in ("https://someone.github.io/digest", "https://someone.github.io/digest/"):
        result = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                                env={**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}",
                                     "PAGES_BASE_URL": given}, check=True)
        assert result.stdout.splitlines()[-1] == "https://someone.github.io/digest/"
