"""Curator-facing YAML, read so that every mistake is reported with file and line.

PyYAML's composed nodes keep their position; ``ConfigNode`` wraps one and turns
type and key errors into ``InputError`` naming where the curator should look.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import yaml

from ..models import Diagnostic, InputError


class ConfigNode:
    """A YAML node that knows its file and line, with checked accessors."""

    def __init__(self, file: str, node: yaml.Node):
        self.file = file
        self.node = node
        self.line = node.start_mark.line + 1

    def error(self, message: str) -> InputError:
        return InputError(Diagnostic("error", message, self.file, self.line))

    def _value(self) -> Any:
        if not isinstance(self.node, yaml.ScalarNode):
            raise self.error("expected a single value here, not a list or mapping")
        try:
            # The constructor alone: a whole loader would set up a reader for each value.
            return yaml.constructor.SafeConstructor().construct_object(self.node)
        except (ValueError, yaml.YAMLError):  # a date such as 2025-02-30
            raise self.error(f"{self.node.value!r} is not a valid value") from None

    def is_scalar(self) -> bool:
        """Whether this is a single value (not a list or mapping)."""
        return isinstance(self.node, yaml.ScalarNode)

    def mapping_items(self) -> list[tuple[str, ConfigNode]]:
        """Key/value pairs in file order; duplicate or non-text keys are errors."""
        return [(name, value) for name, _, value in self.mapping_entries()]

    def mapping_entries(self) -> list[tuple[str, int, ConfigNode]]:
        """As ``mapping_items``, with the line of each key (where an entry is named)."""
        if isinstance(self.node, yaml.ScalarNode) and self.node.value in ("", "~", "null"):
            return []
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error("expected a mapping of 'key: value' lines here")
        seen: set[str] = set()
        items = []
        for key_node, value_node in self.node.value:
            key = ConfigNode(self.file, key_node)
            name = key._value()
            if not isinstance(name, str):
                name = str(name)
            if name in seen:
                raise key.error(f"'{name}' is given twice")
            seen.add(name)
            items.append((name, key.line, ConfigNode(self.file, value_node)))
        return items

    def as_mapping(self, allowed: Collection[str], required: Collection[str] = ()) -> ConfigNode:
        """This node, checked to be a mapping with only ``allowed`` keys."""
        names = {}
        for name, value in self.mapping_items():
            if name not in allowed:
                raise value.error(f"unknown key '{name}'; allowed: {', '.join(sorted(allowed))}")
            names[name] = value
        for name in required:
            if name not in names:
                raise self.error(f"missing key '{name}'")
        return self

    def get(self, key: str) -> ConfigNode | None:
        return dict(self.mapping_items()).get(key)

    def as_list(self) -> list[ConfigNode]:
        if isinstance(self.node, yaml.ScalarNode):
            return [self]
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error("expected a list here")
        return [ConfigNode(self.file, item) for item in self.node.value]

    def as_str(self) -> str:
        value = self._value()
        if not isinstance(value, str) or not value.strip():
            raise self.error("expected text here")
        return value

    def as_int(self) -> int:
        value = self._value()
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error("expected a whole number here")
        return value

    def as_number(self, message: str = "expected a number here") -> float:
        """An integer or decimal value (not true/false), as a float; else ``message`` at this line."""
        try:
            value = self._value()
        except InputError:
            raise self.error(message) from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(message)
        return float(value)

    def as_bool(self) -> bool:
        value = self._value()
        if not isinstance(value, bool):
            raise self.error("expected true or false here")
        return value

    def as_date(self) -> dt.date:
        try:
            value = self._value()
        except InputError:  # 2025-13-01: shaped like a date, but none
            value = None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise self.error("expected a date as YYYY-MM-DD here")
        return value


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML has it (ten times faster on a large topics.yml; it also
refuses nesting deeper than 1,000 levels), else PyYAML's own: the same nodes either way."""


def parse_yaml_config(file: str, text: str, allowed: Collection[str]) -> ConfigNode:
    """The top-level mapping of a YAML document; empty documents are an empty mapping.

    Raises:
        InputError: invalid YAML, a top level that is not a mapping, or unknown keys.
    """
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(Diagnostic("error", f"not valid YAML: {exc.problem or exc}", file, line)) from None
    except yaml.YAMLError as exc:
        raise InputError(Diagnostic("error", f"not valid YAML: {exc}", file)) from None
    except RecursionError:
        raise InputError(Diagnostic("error", "not valid YAML: nested too deeply", file)) from None
    if node is None:
        node = yaml.MappingNode("tag:yaml.org,2002:map", [], yaml.Mark(file, 0, 0, 0, None, None))
    _check_plain(file, node)
    root = ConfigNode(file, node)
    root.as_mapping(allowed)
    return root


_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
"""What curator files are made of. Anything else is a tag (``!foo``,
``!!python/name:...``) or a merge key (``<<``): constructing it would mean
running PyYAML machinery the files never need, and only a traceback to show."""


def _check_plain(file: str, root: yaml.Node) -> None:
    """Refuse tags, merge keys and aliases, naming the line.

    An alias (``*name``) is refused too: a few lines of them can stand for a
    document too large to walk (the "billion laughs").
    """
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise InputError(Diagnostic("error", "anchors and aliases (&name, *name) are not supported", file, line))
        seen.add(id(node))
        if node.tag == "tag:yaml.org,2002:merge":
            raise InputError(Diagnostic("error", "merge keys (<<) are not supported; write the keys out", file, line))
        if node.tag not in _PLAIN_TAGS:
            raise InputError(Diagnostic(
                "error", f"YAML tags such as {_quote_tag(node.tag)} are not supported; write a plain value", file, line))
        if isinstance(node, yaml.MappingNode):
            pending.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)


def _quote_tag(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return repr(shown if len(shown) <= 60 else shown[:57] + "...")
