"""The operation/parameter coverage table of docs/coverage.md, generated from botocore's model.

Each row is an input parameter of an acm-pca operation, in the model's order,
marked "yes" when the operation's handler reads it. Which parameters a handler
reads is taken from its source (``p["Name"]`` and ``p.get("Name")``), so the
table cannot claim more than the code does. ``tests/test_docs.py`` fails when
the table in the docs differs from what this produces;
``python -m tests.coverage_table`` rewrites it.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

from pca_mock._protocol import service_model
from pca_mock.service.operations import OPERATIONS

COVERAGE = Path(__file__).resolve().parent.parent / "docs" / "coverage.md"
START = "<!-- parameters:start -->"
END = "<!-- parameters:end -->"


def parameters_read(operation: str) -> set[str]:
    """The request members the operation's handler reads."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(OPERATIONS[operation])))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "p":
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                names.add(node.slice.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "p"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def table() -> str:
    model = service_model()
    lines = ["| Operation | Parameter | Required | Modelled |", "|---|---|---|---|"]
    for operation in sorted(model.operation_names):
        input_shape = model.operation_model(operation).input_shape
        read = parameters_read(operation) if operation in OPERATIONS else set()
        required = set(input_shape.required_members) if input_shape is not None else set()
        for member in input_shape.members if input_shape is not None else ():
            lines.append(
                f"| {operation} | `{member}` | {'yes' if member in required else 'no'} | "
                f"{'yes' if member in read else 'no'} |"
            )
    return "\n".join(lines)


def section(text: str) -> str:
    """The generated part of a coverage page."""
    return text[text.index(START) + len(START) : text.index(END)].strip()


def main() -> None:
    text = COVERAGE.read_text()
    COVERAGE.write_text(text[: text.index(START) + len(START)] + "\n" + table() + "\n" + text[text.index(END) :])


if __name__ == "__main__":
    main()
