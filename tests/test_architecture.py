"""The layering rules of docs/ARCHITECTURE.md, read from the source (``ast``, nothing imported).

- no import cycle among the modules of ``exchanges/``, ``components/`` and ``views/``;
- ``exchanges`` never imports Streamlit, and its domain (all but :data:`DRAWING`) imports no
  figure builder, exporter or Plotly;
- imports sit at the top of a module: a deferred (function-level) import is allowed
  only for a heavy optional dependency listed in :data:`DEFERRED_ALLOWED`, with why;
- the session and the link are touched in ``components/state.py`` only.

Each check runs over whatever files exist, so moving a module never needs this file edited.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("exchanges", "components", "views")
STATE_MODULE = "components.state"

#: The packages a function may import late, and why: each is heavy or optional, and only the
#: function that needs it pays for it. Anything else, a module of ours above all, is imported
#: at the top (a late import to dodge an import cycle hides a layering mistake).
DEFERRED_ALLOWED: dict[str, str] = {
    "playwright": "a test-and-screenshot tool, not a dependency of the app",
    "kaleido": "starts a Chromium: only when a slide image is drawn",
    "choreographer": "kaleido's browser driver: only when a slide image is drawn",
    "reportlab": "PDF decks and worksheets: only when one is made",
    "pptx": "PowerPoint decks: only when one is made",
    "geopy": "live geocoding is optional (off unless EXCHANGES_LIVE_GEOCODING is set)",
    "charset_normalizer": "guessing an upload's encoding: only for a file that is not UTF-8",
}


@dataclass(frozen=True)
class Import:
    module: str
    """The importing module (``exchanges.filters``)."""
    line: int
    target: str
    """What is imported, as a module path (``exchanges.timeline.LaneMode`` for a name in it)."""
    deferred: bool

    def __str__(self) -> str:
        return f"{self.module.replace('.', '/')}.py:{self.line} imports {self.target}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    """Every module of the three packages, and ``app``."""
    modules = {_module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}
    modules["app"] = ROOT / "app.py"
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements that run when the module is imported (``if``/``try`` blocks included,
    ``if TYPE_CHECKING:`` left out: it never runs)."""
    for node in body:
        if isinstance(node, ast.If) and _is_type_checking(node):
            continue
        yield node
        if isinstance(node, ast.If):
            yield from _module_level(node.body)
            yield from _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _module_level(block)


def _type_checking_only(tree: ast.Module) -> set[int]:
    return {
        id(child)
        for node in tree.body
        if isinstance(node, ast.If) and _is_type_checking(node)
        for child in ast.walk(node)
    }


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = module.split(".")
        parts = parts if is_package else parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    return [f"{base}.{alias.name}" for alias in node.names]


def imports_of(module: str, path: Path) -> list[Import]:
    return imports_in(module, path.read_text(encoding="utf-8"), is_package=path.name == "__init__.py")


def imports_in(module: str, source: str, *, is_package: bool = False) -> list[Import]:
    tree = ast.parse(source)
    top = {id(node) for node in _module_level(tree.body)}
    skipped = _type_checking_only(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        for target in _targets(node, module, is_package):
            found.append(Import(module, node.lineno, target, deferred=id(node) not in top))
    return found


def all_imports() -> list[Import]:
    return [imp for module, path in source_modules().items() for imp in imports_of(module, path)]


def _resolve(target: str, modules: dict[str, Path]) -> str | None:
    """The project module ``target`` loads: itself, or the module holding the imported name."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports when it is imported (their packages too)."""
    modules = source_modules()
    graph: dict[str, set[str]] = {module: set() for module in modules}
    for imp in all_imports():
        resolved = _resolve(imp.target, modules)
        if imp.deferred or resolved is None:
            continue
        for dependency in _with_packages(resolved, modules):
            if not _is_package_of(dependency, imp.module):
                graph[imp.module].add(dependency)
    return graph


def _with_packages(module: str, modules: dict[str, Path]) -> list[str]:
    """``exchanges.export.deck`` -> itself and ``exchanges.export`` (whose ``__init__`` runs first)."""
    parts = module.split(".")
    return [name for name in (".".join(parts[:n]) for n in range(1, len(parts) + 1)) if name in modules]


def _is_package_of(package: str, module: str) -> bool:
    """``module`` itself or a package it is in (a package's ``__init__`` importing its own
    modules is how a package is made, not a cycle)."""
    return module == package or module.startswith(package + ".")


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


# --------------------------------------------------------------------------- the checks


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a made-up loop through three modules is found."""
    graph = import_graph()
    graph["exchanges.models"] = graph["exchanges.models"] | {"components.state"}
    cycle = find_cycle(graph)
    assert cycle is not None and "exchanges.models" in cycle and "components.state" in cycle


def test_the_domain_never_imports_streamlit() -> None:
    found = [str(imp) for imp in all_imports()
             if imp.module.startswith("exchanges") and imp.target.split(".")[0] == "streamlit"]
    assert not found, "exchanges/ imports Streamlit:\n" + "\n".join(found)


#: The modules of ``exchanges`` that draw (figures, slide images, files) or are the command line;
#: every other module is the domain and draws nothing.
DRAWING = ("exchanges.charts", "exchanges.export", "exchanges.cli", "exchanges.__main__",
           "exchanges.basemap")


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def test_the_domain_draws_nothing() -> None:
    """The domain core (eras, sides, wording, framing, filters, readers …) imports no figure
    builder, no exporter and no Plotly: ``charts/`` turns domain objects into figures, not back."""
    found = [str(imp) for imp in all_imports()
             if imp.module.startswith("exchanges") and not _within(imp.module, DRAWING)
             and (_within(imp.target, DRAWING) or imp.target.split(".")[0] == "plotly")]
    assert not found, "the domain imports drawing code:\n" + "\n".join(found)


def deferred_imports() -> list[Import]:
    return [imp for imp in all_imports() if imp.deferred]


def _allowed(imp: Import) -> bool:
    parts = imp.target.split(".")
    return any(".".join(parts[:n]) in DEFERRED_ALLOWED for n in range(1, len(parts) + 1))


def test_deferred_imports_are_heavy_optional_dependencies_only() -> None:
    """A late import hides a cycle or a slow start; only the listed optional packages may be."""
    refused = [f"{imp}  (only {', '.join(sorted(DEFERRED_ALLOWED))} may be imported inside a function)"
               for imp in deferred_imports() if not _allowed(imp)]
    assert not refused, "deferred imports:\n" + "\n".join(refused)


def test_deferred_imports_are_seen() -> None:
    """The import reader tells a function's imports from the module's (so the check above can fail)."""
    source = ("from __future__ import annotations\nimport json\nfrom typing import TYPE_CHECKING\n"
              "if TYPE_CHECKING:\n    import csv\ntry:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
              "def f():\n    from exchanges import models\n    return models\n")
    found = imports_in("exchanges.probe", source)
    assert {(imp.target, imp.deferred) for imp in found} == {
        ("json", False), ("typing.TYPE_CHECKING", False), ("yaml", False), ("exchanges.models", True)}
    relative = imports_in("exchanges.export.deck", "from .layout import fit\nfrom ..tours import Tour\n")
    assert [imp.target for imp in relative] == ["exchanges.export.layout.fit", "exchanges.tours.Tour"]


def _session_uses(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted(node.lineno for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and node.attr in {"session_state", "query_params"})


@pytest.mark.parametrize("module", sorted(m for m in source_modules() if not m.startswith("exchanges")))
def test_session_and_link_only_through_components_state(module: str) -> None:
    """``st.session_state`` and ``st.query_params`` have one home: ``components/state.py``."""
    lines = _session_uses(source_modules()[module])
    if module == STATE_MODULE:
        assert lines, "components/state.py is the session's home"
    else:
        assert not lines, f"{module} touches st.session_state / st.query_params at lines {lines}: use components.state"


_STATE_ACCESS = {"get", "put", "put_default", "drop", "has"}


def _literal_keys(path: Path) -> list[str]:
    """Calls of ``components.state``'s plain access with a key written out (``get("flt_x")``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.asname or alias.name for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module == STATE_MODULE
                for alias in node.names if alias.name in _STATE_ACCESS}
    return [f"line {node.lineno}: {node.args[0].value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in imported
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)]


@pytest.mark.parametrize("module", sorted(m for m in source_modules() if not m.startswith("exchanges")))
def test_session_keys_are_named_in_components_state(module: str) -> None:
    """A session key is a name from ``components.state``, never a string typed at the call."""
    found = _literal_keys(source_modules()[module])
    assert not found, f"{module}: session keys written out, name them in components/state.py: {found}"



def test_a_written_out_session_key_is_found(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text('from components.state import KEY_QUERY, get\nget(KEY_QUERY)\nget("flt_query")\n', encoding="utf-8")
    assert _literal_keys(page) == ["line 3: 'flt_query'"]
