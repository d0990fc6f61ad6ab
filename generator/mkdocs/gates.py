"""What ``mkdocs.yml`` says that the commands need, for ``check`` and ``export`` (which run no MkDocs).

Validated by the plugin's own typed config, so ``check`` and the build agree on every value.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..enrich.quality import QualityGates
from ..models import Diagnostic, InputError


class _Loader(yaml.SafeLoader):
    """mkdocs.yml has ``!ENV`` and ``!!python/name`` tags; the gates need neither, so they read as None."""


_Loader.add_multi_constructor("", lambda loader, tag, node: None)


def _read(mkdocs_yml: Path) -> dict:
    try:
        return yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as error:
        raise InputError(Diagnostic("error", f"not valid YAML: {error}", mkdocs_yml.name)) from None


def site_name(mkdocs_yml: Path, default: str = "Paper digest") -> str:
    """The site's name as mkdocs.yml sets it, for what ``export`` writes into the feeds."""
    name = _read(mkdocs_yml).get("site_name") if mkdocs_yml.is_file() else None
    return name if isinstance(name, str) and name.strip() else default


def quality_gates(mkdocs_yml: Path) -> QualityGates:
    """The gates set in the digest plugin's options; the defaults (blocking nothing) when unset.

    Raises:
        InputError: mkdocs.yml is not YAML, or a gate has a value of the wrong type.
    """
    from .options import DigestConfig  # imported here: it pulls in all of MkDocs

    if not mkdocs_yml.is_file():
        return QualityGates()
    config = _read(mkdocs_yml)
    for item in config.get("plugins") or ():
        if isinstance(item, dict) and "digest" in item:
            options = DigestConfig()
            options.load_dict(item["digest"] or {})
            failed, _ = options.validate()
            if failed:
                key, error = failed[0]
                raise InputError(Diagnostic("error", f"plugins: digest: {key}: {error}", mkdocs_yml.name))
            return options.quality_gates
    return QualityGates()
