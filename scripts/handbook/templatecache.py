"""The theme's templates compiled once, not again on every build (MkDocs only).

On every build Jinja compiles each template the theme renders (Material's own and the handbook's
overrides, 53 of them) into Python code: 0.24-0.30 s of CPU, a tenth of a warm build of the real
site, and the same at any size. Jinja can keep what it compiled between builds (its "bytecode
cache"), but what it keeps is code that Python runs, so a kept file that anyone else wrote would
run on the build machine. The compiled templates are therefore kept as the handbook keeps its
other results: in the sealed store (``.cache/handbook/templates.json``, see
:func:`handbook.buildcache.sealed_entries`), which is read only when its seal was made with this
machine's own key, kept outside the project, and only under the handbook's code, Jinja's version
and Python's. Jinja itself compares each kept template with the template's source (a SHA-1 of
the text) and compiles it again when they differ, so an edited override takes effect at once.

Zensical renders its templates with its own engine, so there is nothing to keep there.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.plugins import BasePlugin, PluginCollection

from .buildcache import SealedEntries, sealed_entries

__all__ = ["keep_compiled_templates"]

#: The name the store is registered under among MkDocs' plugins (it is not one a mkdocs.yml can name).
_NAME = "handbook/compiled-templates"


class _SealedCode(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in the sealed store, base64 in its JSON."""

    def __init__(self, store: SealedEntries) -> None:
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = self.store.get(bucket.key)
        if isinstance(kept, str):
            bucket.bytecode_from_string(base64.b64decode(kept))  # Jinja drops it if the source changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store.put(bucket.key, base64.b64encode(bucket.bytecode_to_string()).decode("ascii"))


class _CompiledTemplates(BasePlugin):  # a plugin without options
    """Gives the theme's Jinja environment the store, and keeps what the build compiled."""

    def __init__(self, store: SealedEntries) -> None:
        self.store = store

    def on_env(self, env: jinja2.Environment, /, *, config: Any, files: Any) -> jinja2.Environment:
        env.bytecode_cache = _SealedCode(self.store)
        return env

    def on_post_build(self, *, config: Any) -> None:
        self.store.save()


def keep_compiled_templates(plugins: Any, root: Path) -> None:
    """Register the store among MkDocs' ``plugins`` (a no-op for anything else, such as Zensical's)."""
    if isinstance(plugins, PluginCollection) and _NAME not in plugins:
        store = sealed_entries(root, "templates", jinja2.__version__, sys.version)
        plugins[_NAME] = _CompiledTemplates(store)
