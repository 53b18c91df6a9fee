"""The image library imports nothing of the articles: what it knows of them
comes through its registries (uses.py, rights.py), filled by the articles."""

import ast
from pathlib import Path

import articles.images

PACKAGE = Path(articles.images.__file__).parent


def imported_modules(path):
    """Every module a file imports; for a "from" import, each name it takes
    (``from articles import workflow`` is articles.workflow)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        # Relative imports (level > 0) stay inside the package.
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def is_article_domain(module):
    parts = module.split(".")
    return parts[0] == "articles" and parts[1:2] != ["images"]


def test_the_package_has_modules_to_check():
    names = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")}
    assert {"models.py", "admin.py", "uses.py", "rights.py"} <= names
    assert any(name.startswith("migrations/0") for name in names)


def test_the_image_library_imports_nothing_of_the_articles():
    offending = {
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in PACKAGE.rglob("*.py")
        for module in imported_modules(path)
        if is_article_domain(module)
    }
    assert offending == set()


def test_the_check_sees_an_import_of_the_articles(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "from articles import workflow\n"
        "import articles.models\n"
        "from articles.images import uses\n"
        "from articles import images\n"
    )
    found = {m for m in imported_modules(module) if is_article_domain(m)}
    assert found == {"articles.workflow", "articles.models"}
