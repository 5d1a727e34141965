"""YAML that remembers where things are, and that a stranger cannot turn into a weapon.

Contributors edit YAML by hand; a message that names the line saves them a search. The
loader is a safe loader with three further refusals, each a :class:`yaml.YAMLError` that
names its line (so callers report it like any other YAML mistake):

* **no anchors or aliases** (``&name`` / ``*name``): nothing in the handbook needs them,
  and nine nested aliases in 570 bytes expand to a billion values (the "billion laughs");
* **no key twice** in one mapping: a reviewer reads the first value, YAML keeps the last;
* **no tags** (``!!python/...``, ``!custom``): content is text, numbers, lists and mappings.

Dates are left as text (``2026-02-30`` is a mistake to report with its line, not a crash);
the schemas check their form and :func:`parse_date` their calendar.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from .buildcache import SealedEntries
    from .errors import Problem

__all__ = [
    "load_data_file", "LineDict", "RefusedYAML", "load_yaml", "load_with", "make_loader", "yaml_error_line",
    "parse_date", "keep_parses_in",
]


class LineDict(dict):
    """A dict that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class RefusedYAML(yaml.MarkedYAMLError):
    """A YAML construct the handbook refuses (alias, duplicate key, tag), with its place."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def _implicit_resolvers_without_timestamps(base: type[Any]) -> dict[Any, list[tuple[str, Any]]]:
    return {first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in base.yaml_implicit_resolvers.items()}


def make_loader(base: type[Any], tags: dict[str, Any] | None = None) -> type[Any]:
    """A loader of the handbook's kind: line-aware mappings, no timestamps, and every tag refused
    except those given in ``tags`` (tag -> constructor)."""
    class Loader(base):
        yaml_implicit_resolvers = _implicit_resolvers_without_timestamps(base)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    Loader.add_multi_constructor("", _refuse_tag)
    Loader.add_multi_constructor("!", _refuse_tag)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", _refuse_tag)
    for tag, constructor in (tags or {}).items():
        Loader.add_constructor(tag, constructor)
    return Loader


def refused_tag_problem(tag: str) -> str:
    if "python" in tag:
        return (f"the YAML tag '{tag}' is not allowed: it would run code on the machine that builds the site. "
                "Remove it and write a plain value")
    return f"the YAML tag '{tag}' is not allowed here: write a plain value (text, number, list or mapping)"


def _refuse_tag(loader: Any, suffix: str, node: yaml.Node) -> Any:
    raise RefusedYAML(refused_tag_problem(node.tag), node.start_mark)


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    if any(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value):
        raise RefusedYAML("YAML merge keys ('<<') are not allowed: write each value out in full", node.start_mark)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise RefusedYAML(f"the key '{key}' is written twice (first on line {result.key_lines[str(key)]}): "
                              "readers see the first value but the last one would be published. Keep one", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_LineLoader = make_loader(yaml.SafeLoader)
_FastLineLoader = make_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml's parser, where PyYAML has it


def _no_aliases(node: yaml.Node) -> None:
    """Refuse a node graph in which any node is reached twice: that is what an alias makes.

    Checked on the composed graph (linear in the text) before anything is constructed, so
    an alias bomb is refused before it can expand."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise RefusedYAML("YAML anchors and aliases ('&name', '*name') are not allowed: write each value out in full",
                              current.start_mark)
        seen.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))


def load_with(text: str, loader_class: type) -> Any:
    """YAML read by one of :func:`make_loader`'s loaders, aliases refused before construction."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _no_aliases(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


#: Where the build keeps what each text read as, across builds (:func:`keep_parses_in`); None: nowhere.
_PARSES: SealedEntries | None = None


def keep_parses_in(store: SealedEntries | None) -> None:
    """Keep, in ``store`` (sealed, under the code's digest and PyYAML's version), what each text read as
    without a mistake: the same text is not parsed again (the build reads every page's front matter and the
    glossary each time). A text with a mistake is always read afresh, so its message is always said."""
    global _PARSES
    _PARSES = store


def load_yaml(text: str) -> Any:
    """Parse YAML; mappings come back as :class:`LineDict`. Raises ``yaml.YAMLError``."""
    if text.startswith("\ufeff"):
        raise RefusedYAML("the file starts with an invisible byte-order mark (BOM). Save it as UTF-8 without BOM "
                          "(most editors call this plain 'UTF-8')", None)
    store = _PARSES
    name = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() if store is not None else ""
    kept = store.get(name) if store is not None else None
    if isinstance(kept, list) and len(kept) == 1:
        return _decoded(kept[0])
    try:
        data = load_with(text, _FastLineLoader)
    except RefusedYAML:
        raise
    except yaml.YAMLError:  # read again by the Python parser, whose messages contributors get
        data = load_with(text, _LineLoader)
    if store is not None:
        encoded = _encoded(data)
        if encoded is not _UNKEPT:
            store.put(name, [encoded])
    return data


#: What :func:`_encoded` gives for a value it does not keep (bytes, a set, a pair from ``!!omap``...).
_UNKEPT = object()


def _encoded(value: Any) -> Any:
    """A parse as JSON: a mapping as ``["d", line, key lines, [[key, value], ...]]``, a list as ``["l", [...]]``."""
    if isinstance(value, LineDict):
        items = [[_encoded(k), _encoded(v)] for k, v in value.items()]
        flat = [part for item in items for part in item]
        return _UNKEPT if _UNKEPT in flat else ["d", value.line, dict(value.key_lines), items]
    if isinstance(value, list):
        parts = [_encoded(v) for v in value]
        return _UNKEPT if _UNKEPT in parts else ["l", parts]
    if value is None or isinstance(value, (str, bool, int)) or (isinstance(value, float) and value == value and abs(value) != float("inf")):
        return value
    return _UNKEPT


def _decoded(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    if value[0] == "l":
        return [_decoded(v) for v in value[1]]
    result = LineDict()
    result.line, result.key_lines = value[1], dict(value[2])
    for key, item in value[3]:
        result[_decoded(key)] = _decoded(item)
    return result


def load_data_file(path: Path, name: str, schema: dict[str, Any], *, empty: Any = None,
                   label: Callable[[Any, int | None], str] | None = None) -> tuple[Any, list[Problem]]:
    """A data file (``docs/data/*.yml``) read and held to its JSON Schema: its data (``empty`` for an
    empty file) and every problem, each with its line (``label(data, line)`` may begin each message)."""
    from .errors import Problem  # local imports: mkdocs.yml's check reads YAML without jsonschema
    from .schema import plain_errors

    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        line = yaml_error_line(error) if isinstance(error, yaml.YAMLError) else None
        return None, [Problem(name, line, f"is not valid YAML: {getattr(error, 'problem', None) or error}.")]
    data = empty if data is None else data
    found = plain_errors(data, schema, lambda where: line_at(data, where))
    return data, [Problem(name, line, f"{label(data, line) if label else ''}{message}") for line, message in found]


def yaml_error_line(error: yaml.YAMLError) -> int | None:
    """The 1-based line a YAML syntax error points at, if it says."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any) -> dt.date | None:
    """A ``YYYY-MM-DD`` date that exists on the calendar, or None (``2026-02-30`` is None)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


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
