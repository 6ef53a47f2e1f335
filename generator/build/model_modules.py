"""Split datamodel-code-generator's one models module into modules that load on first use.

Each top-level definition (a model class or a type alias) goes to the module of its *users*: the
operations, webhooks and error models that reach it through references. Definitions with the same
set of users share a module, so a call imports the modules of its own operation and nothing else.
The modules cannot import each other in a cycle: if a definition in module A refers to one in B,
every user of A is a user of B, so a cycle would mean equal user sets, which is one module.
`models/__init__.py` maps every name to its module and imports it on first access.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from generator.build.templating import render
from generator.errors import GenerationError
from generator.facts.names import snake_case

INDEX_TEMPLATE = "models/__init__.py.jinja"
"""The index's template, by its path inside `templates/`."""
UNREFERENCED = "unreferenced"
"""The module suffix of definitions that no operation, webhook or error model reaches."""
_SHARED = "shared_"


@dataclass
class _Definition:
    """One top-level definition and the statements that belong to it, as source lines."""

    name: str
    lines: list[str]
    refs: set[str] = field(default_factory=set)
    trailer: list[str] = field(default_factory=list)
    """Statements that must follow every definition of its module (`Node.model_rebuild()`)."""


@dataclass(frozen=True)
class _Binding:
    """A name the models module imports: `from module import name as bound`."""

    module: str
    level: int
    name: str


@dataclass(frozen=True)
class ModelModules:
    """The split: module name -> source, and model name -> module name (for the index)."""

    modules: dict[str, str]
    index: dict[str, str]


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _expression_refs(root: ast.AST, names: set[str]) -> None:
    """Add the names `root` refers to, forward references in strings included.

    A string is read as a forward reference (`"list[Node]"`) only where a type is expected: not in
    `Literal[...]`, nor as an argument of a call such as `Field(title="Other")`, the value of a
    type alias (`TypeAliasType("Tree", Union["list[Tree]", str])`) excepted.
    """
    stack: list[tuple[ast.AST, bool]] = [(root, True)]
    while stack:
        node, typed = stack.pop()
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant):
            if typed and isinstance(node.value, str):
                names.update(_IDENTIFIER.findall(node.value))
        elif isinstance(node, ast.Subscript):
            stack.append((node.value, typed))
            if not (isinstance(node.value, ast.Name) and node.value.id == "Literal"):
                stack.append((node.slice, typed))
        elif isinstance(node, ast.Call):
            alias = isinstance(node.func, ast.Name) and node.func.id == "TypeAliasType"
            stack.append((node.func, typed))
            stack.extend((argument, alias and index > 0) for index, argument in enumerate(node.args))
            stack.extend((keyword.value, False) for keyword in node.keywords)
        else:
            stack.extend((child, typed) for child in ast.iter_child_nodes(node))


def _statement_refs(node: ast.stmt) -> set[str]:
    """The names a top-level statement refers to (docstrings skipped)."""
    names: set[str] = set()
    if not isinstance(node, ast.ClassDef):
        _expression_refs(node, names)
        return names
    for expression in [*node.bases, *node.keywords, *node.decorator_list]:
        _expression_refs(expression, names)
    for item in node.body:
        if isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant):
            continue  # a docstring
        if isinstance(item, ast.AnnAssign):
            _expression_refs(item.annotation, names)
            if item.value is not None:
                _expression_refs(item.value, names)
        else:
            _expression_refs(item, names)
    return names


def _bindings(node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, _Binding]]:
    if isinstance(node, ast.Import):
        raise GenerationError(
            f"datamodel-code-generator wrote `{ast.unparse(node)}`; only `from` imports split"
        )
    for alias in node.names:
        yield alias.asname or alias.name, _Binding(node.module or "", node.level, alias.name)


def _target(node: ast.stmt) -> str | None:
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def _rebuilt(node: ast.Expr) -> str | None:
    """`Node` for the statement `Node.model_rebuild()`."""
    call = node.value
    func = call.func if isinstance(call, ast.Call) else None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr == "model_rebuild":
        return func.value.id
    return None


def parse_models(source: str) -> tuple[dict[str, _Binding], dict[str, _Definition]]:
    """The imports and the definitions (in source order) of a datamodel-code-generator module."""
    lines = source.splitlines()
    imports: dict[str, _Binding] = {}
    definitions: dict[str, _Definition] = {}
    last: _Definition | None = None
    for node in ast.parse(source).body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        text = lines[first - 1 : node.end_lineno]
        name = node.name if isinstance(node, ast.ClassDef) else _target(node)
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.update(_bindings(node))
        elif name is not None:
            last = definitions[name] = _Definition(name, text, _statement_refs(node))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and last is not None:
            last.lines.extend(text)  # an alias's docstring
        elif isinstance(node, ast.Expr) and _rebuilt(node) in definitions:
            definitions[str(_rebuilt(node))].trailer.extend(text)
        else:
            raise GenerationError(
                f"datamodel-code-generator wrote a statement the model split does not know (line {first}):"
                f" {ast.unparse(node)[:200]}"
            )
    known = definitions.keys() | imports.keys()
    for definition in definitions.values():
        definition.refs &= known
        definition.refs.discard(definition.name)
    return imports, definitions


def _users_of(
    definitions: Mapping[str, _Definition], users: Mapping[str, Iterable[str]]
) -> dict[str, frozenset[str]]:
    """For each definition, the users that reach it."""
    reached: dict[str, set[str]] = {name: set() for name in definitions}
    for user, roots in users.items():
        stack = list(roots)
        for root in stack:
            if root not in definitions:
                raise GenerationError(f"the model {root} (used by {user}) was not generated")
        seen: set[str] = set()
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            reached[name].add(user)
            stack.extend(ref for ref in definitions[name].refs if ref in definitions)
    return {name: frozenset(found) for name, found in reached.items()}


def _module_names(groups: Mapping[frozenset[str], list[str]]) -> dict[frozenset[str], str]:
    """A readable, deterministic module name per group: its one user, else its first model."""

    def wanted(key: frozenset[str]) -> str:
        if not key:
            return UNREFERENCED
        if len(key) == 1:
            return next(iter(key))
        return _SHARED + (snake_case(min(groups[key])) or "model")

    names: dict[frozenset[str], str] = {}
    taken: set[str] = set()
    for key in sorted(groups, key=lambda k: (wanted(k), min(groups[k]))):
        name, suffix = wanted(key), 1
        while name in taken:
            suffix += 1
            name = f"{wanted(key)}_{suffix}"
        taken.add(name)
        names[key] = f"_{name}"
    return names


def _docstring(users: frozenset[str]) -> str:
    if not users:
        return '"""Models that no operation, webhook or error model of the spec refers to."""'
    if len(users) == 1:
        return f'"""The models only `{next(iter(users))}` uses."""'
    listed = textwrap.fill(", ".join(sorted(users)), width=96)
    return f'"""The models that {len(users)} users share:\n\n{listed}\n"""'


def _import_line(module: str, level: int, names: Iterable[tuple[str, str]]) -> str:
    parts = [name if name == bound else f"{name} as {bound}" for name, bound in sorted(names)]
    return f"from {'.' * level}{module} import {', '.join(parts)}"


def _header_imports(needed: set[str], imports: Mapping[str, _Binding], package: str) -> list[str]:
    """The imports of the original module that `needed` uses; the package's own become relative."""
    by_module: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for bound in needed & imports.keys():
        binding = imports[bound]
        module, level = binding.module, binding.level
        if level == 0 and (module == package or module.startswith(package + ".")):
            module, level = module[len(package) + 1 :], 2  # from inside <package>.models
        elif level > 0:
            level += 1
        by_module.setdefault((module, level), []).append((binding.name, bound))
    return [_import_line(module, level, names) for (module, level), names in sorted(by_module.items())]


def split_models(source: str, users: Mapping[str, Iterable[str]], package: str) -> ModelModules:
    """Split the source of the one models module into modules by the users of each definition.

    `users` maps a user's name (a module-name-safe identifier: an operation's method name,
    `webhooks`, an error model's) to the model names it uses directly; `package` is the name of
    the generated package, whose absolute imports become relative.
    """
    imports, definitions = parse_models(source)
    reached = _users_of(definitions, users)
    groups: dict[frozenset[str], list[str]] = {}
    for name in definitions:
        groups.setdefault(reached[name], []).append(name)
    names = _module_names(groups)
    home = {name: names[reached[name]] for name in definitions}
    modules: dict[str, str] = {}
    for key, members in groups.items():
        module = names[key]
        refs = set().union(*(definitions[name].refs for name in members))
        lines = [_docstring(key), "", *_header_imports(refs, imports, package)]
        by_module: dict[str, list[tuple[str, str]]] = {}
        for ref in sorted(refs & definitions.keys()):
            if home[ref] != module:
                by_module.setdefault(home[ref], []).append((ref, ref))
        lines += [_import_line(other, 1, pairs) for other, pairs in sorted(by_module.items())]
        for name in members:
            lines += ["", "", *definitions[name].lines]
        trailers = [line for name in members for line in definitions[name].trailer]
        if trailers:
            lines += ["", "", *trailers]
        modules[module] = "\n".join(lines) + "\n"
    return ModelModules(modules, home)


def render_index(index: Mapping[str, str]) -> str:
    """`models/__init__.py`: every model name, re-exported for type checkers, imported on first use."""
    by_module: dict[str, list[str]] = {}
    for name, module in sorted(index.items()):
        by_module.setdefault(module, []).append(name)
    return render(INDEX_TEMPLATE, modules=dict(sorted(by_module.items())), index=dict(sorted(index.items())))
