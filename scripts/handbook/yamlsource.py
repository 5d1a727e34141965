"""YAML that remembers where things are: mappings carry the line of each key.

Contributors edit YAML by hand; a message that names the line saves them a search.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["LineDict", "load_yaml", "yaml_error_line", "line_at"]


class LineDict(dict):
    """A dict that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    pass


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser, where PyYAML has it
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str) -> Any:
    """Parse YAML; mappings come back as :class:`LineDict`. Raises ``yaml.YAMLError``."""
    try:
        return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:  # read again by the Python parser, whose messages contributors get
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506


def yaml_error_line(error: yaml.YAMLError) -> int | None:
    """The 1-based line a YAML syntax error points at, if it says."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def line_at(data: Any, path: list) -> int:
    """The line of the value at a JSON-Schema error path (list indexes and mapping keys)."""
    node, line = data, 1
    for part in path:
        if isinstance(node, LineDict):
            line = node.line_of(str(part))
        elif isinstance(node, list) and isinstance(part, int) and isinstance(node[part], LineDict):
            line = node[part].line
        if not isinstance(node, (list, dict)):
            break
        node = node[part]
    return line
