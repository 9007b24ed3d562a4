"""The package layout keeps its rules (issue 13): no import cycles among landeval_plugin modules and
no private name (``_name``) of one module used by another. Read from the source with ``ast``, so the
check needs no QGIS and sees imports inside functions too (a lazy import still ties two modules)."""
import ast
import os

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "landeval_plugin")
PACKAGE = "landeval_plugin"


def _modules():
    """{dotted module name: (path, is_package)} of every .py file under landeval_plugin/."""
    found = {}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, os.path.dirname(ROOT))[:-3].replace(os.sep, ".")
            is_package = rel.endswith(".__init__")
            found[rel[:-9] if is_package else rel] = (path, is_package)
    return found


def _resolve(node, module, is_package):
    """The absolute module an ImportFrom names (``from ..core import x`` in landeval_plugin.gui.dock)."""
    if node.level == 0:
        return node.module
    package = module if is_package else module.rsplit(".", 1)[0]
    parts = package.split(".")
    base = parts[:len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(modules):
    """[(importer, imported module, line, name or None, imported-module alias or None)] inside the package."""
    out = []
    for module, (path, is_package) in modules.items():
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                        out.append((module, alias.name, node.lineno, None, alias.asname))
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(node, module, is_package)
                if not base or not (base == PACKAGE or base.startswith(PACKAGE + ".")):
                    continue
                for alias in node.names:
                    sub = base + "." + alias.name
                    if sub in modules:  # ``from ..core import values``: the module itself
                        out.append((module, sub, node.lineno, None, alias.asname or alias.name))
                    else:
                        out.append((module, base, node.lineno, alias.name, None))
    return out


def _cycles(edges):
    """Strongly connected components with more than one module, or a module importing itself."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(v):  # Tarjan; the package has ~80 modules, recursion depth is no concern
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                result.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def test_the_checker_finds_a_cycle_and_passes_a_chain():
    assert _cycles([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]) == [["a", "b", "c"]]
    assert _cycles([("a", "b"), ("b", "c")]) == []
    assert _cycles([("a", "a")]) == [["a"]]


def test_no_import_cycles_among_plugin_modules():
    modules = _modules()
    assert "landeval_plugin.core.values" in modules and "landeval_plugin.core.grading.grade" in modules
    imports = _imports(modules)
    # edges to a package's __init__ count too: importing x.y runs x/__init__.py first
    edges = {(a, b) for a, b, _, _, _ in imports if a != b}
    cycles = _cycles(edges)
    where = {(a, b): line for a, b, line, _, _ in imports}
    described = [" -> ".join(c) + "  (" + ", ".join(
        "{}:{}".format(a, where[(a, b)]) for a in c for b in c if (a, b) in where) + ")" for c in cycles]
    assert cycles == [], "import cycles:\n" + "\n".join(described)


def test_no_private_names_used_across_modules():
    modules = _modules()
    found = []
    imports = _imports(modules)
    for importer, target, line, name, _ in imports:
        if name and name.startswith("_") and not name.startswith("__") and target != importer:
            found.append("{}:{} imports {} from {}".format(importer, line, name, target))
    # ``module._name`` through an imported module (``cluster._text``)
    aliases = {}
    for importer, target, _, name, alias in imports:
        if name is None and alias:
            aliases.setdefault(importer, {})[alias] = target
    for module, (path, _) in modules.items():
        names = aliases.get(module)
        if not names:
            continue
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), path)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in names
                    and node.attr.startswith("_") and not node.attr.startswith("__")
                    and names[node.value.id] != module):
                found.append("{}:{} uses {}.{} of {}".format(module, node.lineno, node.value.id, node.attr,
                                                            names[node.value.id]))
    assert found == [], "private names used across modules:\n" + "\n".join(found)


def test_resources_hold_data_not_scripts():
    """resources/ ships in the plugin zip: generator scripts (e.g. the dossier template builder) live in
    scripts/ (issue 13)."""
    resources = os.path.join(os.path.dirname(ROOT), "resources")
    scripts = [os.path.relpath(os.path.join(folder, name), resources)
               for folder, _dirs, files in os.walk(resources) for name in files if name.endswith((".py", ".sh"))]
    assert scripts == []
    assert os.path.isfile(os.path.join(os.path.dirname(ROOT), "scripts", "build_dossier_template.py"))


def test_algorithms_implement_process_not_process_algorithm():
    """LandEvalAlgorithm.processAlgorithm re-raises errors from a frame that holds nothing (QGIS
    keeps the exception leaving an algorithm, and a layer held by its frames outlived QGIS's exit);
    an algorithm that overrides processAlgorithm itself loses that."""
    import glob
    import re

    here = os.path.join(ROOT, "processing", "algorithms", "*.py")
    offenders = [os.path.basename(p) for p in sorted(glob.glob(here))
                 if re.search(r"^\s+def processAlgorithm\(", open(p, encoding="utf-8").read(), re.M)]
    assert offenders == []
