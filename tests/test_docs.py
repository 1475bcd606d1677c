"""The docs agree with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pca_mock.service.operations import OPERATIONS
from pca_mock.x509.templates import PROFILES

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_coverage_table_matches_the_operation_table():
    rows = re.findall(r"^\| (\w+) \| (yes|not yet)", (DOCS / "coverage.md").read_text(), re.MULTILINE)
    assert sorted(name for name, state in rows if state == "yes") == sorted(OPERATIONS)
    assert [name for name, state in rows if state == "not yet"] == []


def test_coverage_lists_exactly_the_modelled_templates():
    text = (DOCS / "coverage.md").read_text()
    listed = re.findall(r"`(\w+)/V1`", text)
    assert sorted(listed) == sorted(PROFILES)


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(), re.DOTALL)


def test_readme_example_runs_and_its_test_passes():
    (block,) = _python_blocks(DOCS.parent / "README.md")
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    test = namespace["test_issue_leaf"]
    assert callable(test)
    test()


# The template pages are run by test_docs_templates.py, which also checks their tables.
_PAGES_WITH_EXAMPLES = sorted(
    path.relative_to(DOCS).as_posix()
    for path in DOCS.rglob("*.md")
    if _python_blocks(path) and path.name != "templates.md" and path.parent.name != "templates"
)


def test_the_guide_and_topic_pages_have_examples_to_run():
    expected = {"index.md", "unittest-async.md", "notebooks.md", "revocation.md", "hierarchies.md"}
    expected |= {"cross-account.md", "time-travel.md", "moto.md"}
    assert expected <= set(_PAGES_WITH_EXAMPLES)


@pytest.mark.parametrize("page", _PAGES_WITH_EXAMPLES)
def test_every_python_example_on_the_page_runs(page):
    for block in _python_blocks(DOCS / page):
        exec(compile(block, f"docs/{page}", "exec"), {})


def test_every_docs_page_is_in_the_site_navigation():
    nav = set(re.findall(r":\s+([\w/-]+\.md)\s*$", (DOCS.parent / "mkdocs.yml").read_text(), re.MULTILINE))
    pages = {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}
    assert nav == pages


def test_parameter_table_is_what_the_model_and_the_handlers_give():
    from tests.coverage_table import COVERAGE, section, table

    assert section(COVERAGE.read_text()) == table()


def test_every_input_parameter_of_every_operation_is_read_by_its_handler():
    from tests.coverage_table import table

    assert "| no |\n" not in table() + "\n"
