"""The docs agree with the code."""

from __future__ import annotations

import re
from pathlib import Path

from pca_mock.service.operations import NOT_YET_MODELLED, OPERATIONS
from pca_mock.x509.templates import PROFILES

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_coverage_table_matches_the_operation_table():
    rows = re.findall(r"^\| (\w+) \| (yes|not yet)", (DOCS / "coverage.md").read_text(), re.MULTILINE)
    modelled = {name for name, state in rows if state == "yes"}
    not_yet = {name for name, state in rows if state == "not yet"}
    assert (modelled, not_yet) == (set(OPERATIONS), set(NOT_YET_MODELLED))


def test_coverage_lists_every_modelled_template():
    text = (DOCS / "coverage.md").read_text()
    listed = set(re.findall(r"`(\w+)/V1`", text))
    assert set(PROFILES) <= listed
