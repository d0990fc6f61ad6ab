#!/usr/bin/env python3
"""Set up everything the project needs, then serve, build or test the site.

    python3 dev.py serve    # preview at http://127.0.0.1:8000, rebuilds on every change
    python3 dev.py build    # the site, strictly, into site/
    python3 dev.py test     # the whole test suite, browser tests included

Only Python 3.11+ is needed to start: this script makes `.venv/`, installs the
project into it, and (for `test`) installs Chromium and axe-core when missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
CHROMIUM = Path("/usr/bin/chromium")


def run(*cmd: str | os.PathLike, **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    # Material prints a banner about its end of life on every build; the
    # README's notes cover it, the curator need not read it each time.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(c) for c in cmd], check=True, cwd=kw.pop("cwd", ROOT), env=env, **kw)


def ensure_venv(extras: str) -> None:
    """Install the project (editable) once per change of pyproject.toml."""
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed; this is " + sys.version.split()[0])
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / ".installed"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]" if extras else ".")
    stamp.write_text(digest)


def ensure_browser_tools() -> None:
    """Chromium from Debian and axe-core from npm, for the browser tests."""
    if not CHROMIUM.exists():
        if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
            run("apt-get", "update", "-qq")
            run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium")
        else:
            sys.exit(
                "The browser tests need Chromium at /usr/bin/chromium.\n"
                "Install it as root (Debian/Ubuntu: `sudo apt-get install chromium`) and run again."
            )
    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        if not shutil.which("npm"):
            sys.exit("The accessibility tests need npm (Node.js) to install axe-core.")
        run("npm", "ci", "--no-audit", "--no-fund", "--silent")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "serve"
    rest = argv[1:]
    if command == "serve":
        ensure_venv("")
        # --dirty: MkDocs rewrites only the pages whose text changed (the plugin tells it which).
        run(BIN / "mkdocs", "serve", "--dirty", *rest)
    elif command == "build":
        ensure_venv("")
        run(BIN / "mkdocs", "build", "--strict", *rest)
    elif command == "test":
        ensure_venv("test")
        if (ROOT / "package.json").exists():
            ensure_browser_tools()
        run(PY, "-m", "pytest", *rest)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as failed:
        sys.exit(failed.returncode)
    except KeyboardInterrupt:
        sys.exit(130)
