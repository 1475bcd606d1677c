"""Developer tasks: ``nox`` runs lint, typecheck and the tests on every installed Python."""

from __future__ import annotations

import os
import shutil
import subprocess

import nox

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
nox.options.sessions = ["lint", "typecheck", "docs", "notebook", "tests", "tests_signed"]
nox.options.error_on_missing_interpreters = False


def _expose_pyenv_pythons() -> None:
    """Let nox find every pyenv-installed Python, not only the active one.

    pyenv's shims (python3.10, ...) only answer for versions named in
    PYENV_VERSION, so name all installed versions, keeping any already chosen first.
    """
    if shutil.which("pyenv") is None:
        return
    installed = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True, check=False).stdout
    chosen = [v for v in os.environ.get("PYENV_VERSION", "").split(":") if v]
    os.environ["PYENV_VERSION"] = ":".join(dict.fromkeys([*chosen, *installed.split()]))


_expose_pyenv_pythons()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite against the installed package, on every core (pytest-xdist).

    Arguments after ``--`` replace ``-n auto``: ``nox -s tests-3.11 -- tests/test_crl.py``
    runs in one process.
    """
    session.install(".[test]")
    session.run("python", "-m", "pytest", *(session.posargs or ["-n", "auto"]))


@nox.session(python="3.11")
def tests_signed(session: nox.Session) -> None:
    """The test suite again, with every request built and SigV4-signed by botocore.

    The mock normally lets plain clients skip the signature (pca_mock/_fastpath.py);
    this run keeps botocore's ordinary path covered as thoroughly.
    """
    session.install(".[test]")
    session.run("python", "-m", "pytest", *(session.posargs or ["-n", "auto"]), env={"PCA_MOCK_TEST_SIGNED": "1"})


@nox.session(python="3.11")
def fuzz(session: nox.Session) -> None:
    """The long fuzz run: thousands of generated requests against live state (``tests/test_fuzz.py``).

    The bounded profile of the same test already runs in ``tests``. Pass pytest
    arguments after ``--``; ``PCA_MOCK_FUZZ_LOG=<file>`` records failures and keeps going.
    """
    session.install(".[test]")
    pytest = ["python", "-m", "pytest", "tests/test_fuzz.py", "-s"]
    session.run(*pytest, *session.posargs, env={"PCA_MOCK_FUZZ_PROFILE": "fuzz"})


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    session.install("ruff>=0.5")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python="3.11")
def typecheck(session: nox.Session) -> None:
    session.install(".[test,bench]", "mypy>=1.10", "botocore-stubs", "nox")
    session.run("mypy")


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    """Build the documentation site; any warning (a broken link, a bad docstring) fails it."""
    session.install(".", "mkdocs>=1.6", "mkdocs-material>=9.5", "mkdocstrings[python]>=0.26")
    site = session.create_tmp()
    session.run("mkdocs", "build", "--strict", "--site-dir", site, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session(python="3.11")
def notebook(session: nox.Session) -> None:
    """Run docs/notebook.ipynb top to bottom (start()/stop() across cells), so it cannot rot."""
    session.install(".", "boto3", "nbclient>=0.10", "nbformat>=5.10", "ipykernel>=6.29")
    session.run(
        "python",
        "-c",
        "import nbformat, nbclient; "
        "notebook = nbformat.read('docs/notebook.ipynb', as_version=4); "
        "nbclient.NotebookClient(notebook, timeout=120, kernel_name='python3').execute(); "
        "print('docs/notebook.ipynb: every cell ran')",
    )


@nox.session(python="3.11")
def demo(session: nox.Session) -> None:
    """Walk through root CA → subordinate CA → leaf → revoke → chain check."""
    session.install(".", "boto3")
    session.run("python", "-m", "pca_mock.demo")


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Every benchmark: issue+get against moto and the floor, fixed costs, scale.

    ``nox -s bench -- --quick`` gives each a short smoke run.
    """
    session.install(".[bench]")
    for script in BENCHMARKS:
        session.run("python", f"tests/benchmarks/{script}", *session.posargs)


BENCHMARKS = ["bench_issue.py", "bench_overheads.py", "bench_scale.py"]
