"""The docs agree with the code."""

from __future__ import annotations

import re
from pathlib import Path

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


def test_docs_index_examples_run():
    for block in _python_blocks(DOCS / "index.md"):
        exec(compile(block, "docs/index.md", "exec"), {})


def test_revocation_page_examples_run():
    blocks = _python_blocks(DOCS / "revocation.md")
    assert len(blocks) == 3
    for block in blocks:
        exec(compile(block, "docs/revocation.md", "exec"), {})


def test_hierarchies_page_examples_run():
    blocks = _python_blocks(DOCS / "hierarchies.md")
    assert len(blocks) == 4
    for block in blocks:
        exec(compile(block, "docs/hierarchies.md", "exec"), {})


def test_cross_account_page_examples_run():
    blocks = _python_blocks(DOCS / "cross-account.md")
    assert len(blocks) == 2
    for block in blocks:
        exec(compile(block, "docs/cross-account.md", "exec"), {})


def test_time_travel_page_examples_run():
    blocks = _python_blocks(DOCS / "time-travel.md")
    assert len(blocks) == 5
    for block in blocks:
        exec(compile(block, "docs/time-travel.md", "exec"), {})


def test_moto_page_examples_run():
    blocks = _python_blocks(DOCS / "moto.md")
    assert len(blocks) == 3
    for block in blocks:
        exec(compile(block, "docs/moto.md", "exec"), {})


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
