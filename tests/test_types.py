"""The code checks itself: types, each module's public surface, and one configuration.

* mypy (configured in pyproject.toml) finds nothing in ``scripts/`` (the package and the
  command-line tools) and ``dev.py``.
* Each module of the package declares ``__all__``, and it is exactly what the rest of the
  code uses of it: other modules of the package, the scripts, the tests, and what the engines
  call by name (mkdocs.yml's macros module and Markdown extension). Nothing private
  (``_name``) is imported from another module.
* Every module imports on its own (no import cycle hides behind the order modules load in).
* Only the configuration module (``handbook.config``) reads a ``HANDBOOK_*`` variable or
  ``extra.handbook``; ``dev.py`` reads only the variables it declares its own.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from handbook import config

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scripts" / "handbook"
SCRIPTS = sorted((ROOT / "scripts").glob("*.py")) + [ROOT / "dev.py"]
TESTS = sorted((ROOT / "tests").glob("*.py"))
#: What the engines call by name: mkdocs-macros' hooks in the macros module (mkdocs.yml's
#: ``module_name``) and Python-Markdown's entry point of ``handbook.mdx``.
ENGINE_NAMES = {
    "handbook.macros": {"define_env", "on_pre_page_macros", "on_post_page_macros", "on_post_build"},
    "handbook.mdx": {"makeExtension"},
}


def test_mypy_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"mypy (pyproject.toml, [tool.mypy]) found problems:\n{result.stdout}{result.stderr}"


def _module_name(path: Path) -> str:
    return "handbook." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if p.name != "__init__.py"}


def _absolute(importer: str, level: int, module: str | None) -> str:
    """The full name ``from <dots><module> import`` refers to, in the package module ``importer``."""
    if level == 0:
        return module or ""
    parts = importer.split(".")[:-level]
    return ".".join(parts + ([module] if module else []))


def _uses(path: Path, importer: str) -> list[tuple[str, str, int]]:
    """(module, name, line) for every name ``path`` takes from a module of the package: imported
    from it, or read as an attribute of the module imported whole (``site_module.CURRENT``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, str, int]] = []
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = _absolute(importer, node.level, node.module)
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:  # a module imported whole: its attributes are the uses
                    aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
                elif base in MODULES:
                    out.append((base, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES and alias.asname:
                    aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            out.append((aliases[node.value.id], node.attr, node.lineno))
    return out


def _all_uses() -> dict[str, dict[str, list[str]]]:
    """module -> name -> where it is used from (``file:line``), for every user outside the module."""
    users = [(p, _module_name(p)) for p in PACKAGE.rglob("*.py")] + [(p, "") for p in SCRIPTS + TESTS]
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, importer in users:
        for module, name, line in _uses(path, importer):
            if module != importer and not name.startswith("__"):  # a module's own attributes (__all__, __file__)
                found[module][name].append(f"{path.relative_to(ROOT)}:{line}")
    for module, names in ENGINE_NAMES.items():
        for name in names:
            found[module][name].append("mkdocs.yml")
    return found


def _declared_all(path: Path) -> list[str] | None:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return list(ast.literal_eval(node.value))
    return None


def _types_of(path: Path, names: set[str]) -> set[str]:
    """The classes of the module that the annotations of ``names`` (and of their fields and
    methods) mention: the types of the public surface, public even where no one imports them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    classes |= {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                if isinstance(t, ast.Name) and t.id[:1].isupper() and not t.id.isupper()}  # type aliases: PageKind
    mentioned: set[str] = set()
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else node
        if getattr(target, "name", getattr(target, "id", None)) not in names:
            continue
        for inner in ast.walk(node):
            notes = []
            if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                notes = [a.annotation for a in (*inner.args.args, *inner.args.kwonlyargs) if a.annotation] + [inner.returns]
            elif isinstance(inner, ast.AnnAssign):
                notes = [inner.annotation]
            for note in notes:
                if note is not None:
                    mentioned |= {n.id for n in ast.walk(note) if isinstance(n, ast.Name)}
                    mentioned |= {n.value for n in ast.walk(note) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    text_names = {word for m in mentioned for word in m.replace("[", " ").replace("]", " ").replace("|", " ").split()}
    found = classes & text_names
    return found | (_types_of(path, found) if found - names else set())


def test_all_is_exactly_what_other_modules_use() -> None:
    """``__all__`` is what other code uses, and the types that appear in its signatures and fields."""
    uses = _all_uses()
    problems = []
    for module, path in MODULES.items():
        declared = _declared_all(path)
        used = set(uses.get(module, {}))
        used |= _types_of(path, used)
        rel = path.relative_to(ROOT)
        if declared is None:
            problems.append(f"{rel}: declares no __all__; the rest of the code uses {sorted(used) or 'nothing'} of it.")
            continue
        if len(declared) != len(set(declared)):
            problems.append(f"{rel}: __all__ names something twice.")
        for name in sorted(used - set(declared)):
            where = uses[module][name][0] if uses[module].get(name) else "the annotations of what it exports"
            problems.append(f"{rel}: '{name}' is used from {where} but is not in __all__: add it, "
                            "or stop using it from outside.")
        for name in sorted(set(declared) - used):
            problems.append(f"{rel}: __all__ names '{name}', which nothing outside the module uses: take it out "
                            "(and make it private if only the module needs it).")
    assert not problems, "\n".join(problems)


def test_nothing_private_is_imported_across_modules() -> None:
    uses = _all_uses()
    problems = [f"{where}: takes the private '{name}' from {module}: make it public (in __all__) or keep it inside."
                for module, names in uses.items() for name, places in names.items()
                if name.startswith("_") and not name.startswith("__") for where in places]
    assert not problems, "\n".join(problems)


def test_every_module_imports_on_its_own() -> None:
    """Each module imported first, in a fresh set of the package's modules (other libraries stay loaded)."""
    script = (
        "import importlib, sys\n"
        f"for name in {sorted(MODULES)!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'handbook' or m.startswith('handbook.')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as error:\n"
        "        print(f'{name}: {type(error).__name__}: {error}')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and not result.stdout, f"a module does not import on its own:\n{result.stdout}{result.stderr}"


# One configuration ---------------------------------------------------------------------------------

def _strings(tree: ast.AST) -> list[ast.Constant]:
    """The string constants of a module that are not docstrings."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def _reads_extra(tree: ast.AST) -> list[int]:
    """Lines that look up ``extra`` in a mapping (``conf.get("extra")``, ``conf["extra"]``)."""
    lines = []
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
            key = node.args[0]
        elif isinstance(node, ast.Subscript):
            key = node.slice
        if isinstance(key, ast.Constant) and key.value == "extra":
            lines.append(node.lineno)
    return lines


def test_only_the_configuration_module_reads_settings() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")) + SCRIPTS:
        if path == PACKAGE / "config.py":
            continue
        rel = path.relative_to(ROOT)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # dev.py runs before the package's environment exists: it reads its own variables, and sets the
        # site's address for the preview it starts.
        allowed = config.DEV_PY_VARIABLES | {config.ENV_SITE_URL} if path.name == "dev.py" else frozenset()
        for node in _strings(tree):
            for word in node.value.replace("=", " ").replace(":", " ").split():
                if word.startswith("HANDBOOK_") and word.strip("'\".,()`") not in allowed:
                    problems.append(f"{rel}:{node.lineno}: names {word}: read it from handbook.config (Settings, ENV_*), "
                                    "where every setting is declared once.")
        if path.name != "configcheck.py":  # the check of mkdocs.yml holds extra.handbook to config.EXTRA_SETTINGS
            problems += [f"{rel}:{line}: reads mkdocs.yml's 'extra': take the setting from handbook.config.Settings."
                         for line in _reads_extra(tree)]
    assert not problems, "\n".join(problems)


def test_every_setting_is_documented() -> None:
    """Each field of Settings has a docstring under it, and each is in the contributors' table of settings."""
    tree = ast.parse(inspect.getsource(config.Settings))
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    documented = {node.target.id for node, after in zip(body, body[1:])
                  if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                  and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)}
    fields = [f.name for f in dataclasses.fields(config.Settings)]
    assert [f for f in fields if f not in documented] == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    variables = [getattr(config, n) for n in dir(config) if n.startswith("ENV_")] + sorted(config.DEV_PY_VARIABLES)
    assert [v for v in variables if f"`{v}" not in readme] == []


def test_settings_come_from_mkdocs_yml_and_the_environment(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        'site_name: A handbook\nsite_url: !ENV [HANDBOOK_SITE_URL, "https://example.org/handbook/"]\n'
        "extra:\n  handbook:\n    licence_name: CC BY-SA 4.0\n", encoding="utf-8")
    plain = config.load_settings(tmp_path, {})
    assert (plain.site_name, plain.site_url, plain.licence_name) == ("A handbook", "https://example.org/handbook/", "CC BY-SA 4.0")
    assert plain.licence_url == "https://creativecommons.org/licenses/by/4.0/" and not plain.no_cache
    preview = config.load_settings(tmp_path, {config.ENV_SITE_URL: "http://127.0.0.1:8000/", config.ENV_NO_CACHE: "1"})
    assert preview.site_url == "http://127.0.0.1:8000/" and preview.no_cache
    # An engine's configuration has already taken !ENV from the environment: it is not applied twice.
    built = config.settings_from({"site_url": "https://example.org/v/0.1.0/"}, {config.ENV_SITE_URL: "http://other/"})
    assert built.site_url == "https://example.org/v/0.1.0/"


def test_the_safety_gate_takes_its_macros_from_the_registry() -> None:
    from handbook.pagemacros import REGISTRY
    from handbook.safety import PAGE_MACROS

    assert PAGE_MACROS == {name: (m.fewest, m.most) for name, m in REGISTRY.items()}
    assert PAGE_MACROS["term"] == (1, 2) and PAGE_MACROS["cite"] == (1, None) and PAGE_MACROS["glossary_page"] == (0, 0)


def test_mkdocs_yml_gives_mkdocs_macros_the_comment_delimiters_the_gate_reads(tmp_path: Path) -> None:
    from handbook.configcheck import config_problems

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert config_problems(ROOT) == []
    (tmp_path / "mkdocs.yml").write_text(text.replace('j2_comment_start_string: "{##"', 'j2_comment_start_string: "{#"'),
                                         encoding="utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), 1) if "j2_comment_start_string" in row)
    assert [str(p) for p in config_problems(tmp_path)] == [
        f"mkdocs.yml:{line}: the macros plugin's 'j2_comment_start_string' must be '{{##', the delimiter the handbook's "
        "safety gate reads pages with (and attr_list's {#id} is then not a comment)."]
