"""Imports go down the pipeline only: core → sources → extractors → matching → warehouse → reports, with the
driver (crosscheck.jobs), flows/ and the CLI on top. Every import in every module is read, lazy ones inside
functions included; an import that goes upward or sideways fails with the file, line and both layers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A module's layer is that of the longest prefix listed here.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("sources",),
    ("extractors",),
    ("matching",),
    ("warehouse",),
    ("reports",),
    ("crosscheck", "crosscheck.jobs"),
    ("flows",),
    ("crosscheck.cli",),
    ("bench",),
)
PACKAGES = {name.split(".")[0] for layer in LAYERS for name in layer}


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for rank, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and (best is None or len(name) > best[0]):
                best = (len(name), rank)
    return None if best is None else best[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a project module in a file; `from pkg import sub` names pkg.sub."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                is_module = (ROOT / Path(*sub.split("."))).with_suffix(".py").exists() or \
                    (ROOT / Path(*sub.split("."))).is_dir()
                found.append((node.lineno, sub if is_module else node.module))
    return [(line, m) for line, m in found if m.split(".")[0] in PACKAGES]


def violations(files: list[tuple[Path, str]]) -> list[str]:
    """Every import that does not go down, for (file, the module it is) pairs."""
    bad: list[str] = []
    for path, here in files:
        mine = layer_of(here)
        assert mine is not None, f"{path}: not in any layer of LAYERS"
        for line, target in project_imports(path):
            theirs = layer_of(target)
            same_stage = target.split(".")[0] == here.split(".")[0]
            if theirs is None or (theirs >= mine and not same_stage):
                where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
                bad.append(f"{where}:{line}: {here} (layer {mine}) imports {target} "
                           f"(layer {theirs}): {'sideways' if theirs == mine else 'upward'}")
    return bad


def package_files() -> list[tuple[Path, str]]:
    return [(p, module_name(p)) for p in sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))]


def test_every_import_goes_down_the_pipeline() -> None:
    files = package_files()
    assert len(files) > 50
    assert violations(files) == []


def test_core_imports_no_stage() -> None:
    for path in (ROOT / "core").rglob("*.py"):
        assert all(m.split(".")[0] == "core" for _, m in project_imports(path)), path


@pytest.mark.parametrize(("source", "message"), [
    ("from reports.model import reading\n", "upward"),
    ("def f():\n    from flows.pipeline import crosscheck_flow\n", "upward"),
    ("import warehouse.db\n", "upward"),
])
def test_an_upward_import_is_caught(tmp_path: Path, source: str, message: str) -> None:
    # A module of the matching stage (layer 3) that reaches above it.
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    found = violations([(probe, "matching.probe")])
    assert len(found) == 1 and message in found[0] and "matching.probe" in found[0]


def test_a_downward_or_same_stage_import_passes(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from core.records import Claim\nfrom matching.records import Fact\nfrom reports import html\n",
                     encoding="utf-8")
    assert violations([(probe, "reports.probe")]) == []

