"""Documentation gates: every CLI command is in the README, every configuration key is in crosscheck.toml
(with its comment) and every environment variable the configuration reads is named in the README."""

from __future__ import annotations

import tomllib

from core.config import DEFAULTS, ENV, PROJECT_ROOT
from crosscheck.cli import app

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme():
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    names += [g.name for g in app.registered_groups]
    assert names, "no commands registered?"
    for name in names:
        assert f"`crosscheck {name}" in README, f"command {name} is not documented in README.md"


def test_every_configuration_key_is_in_the_shipped_crosscheck_toml():
    shipped = tomllib.loads((PROJECT_ROOT / "crosscheck.toml").read_text(encoding="utf-8"))
    for section, keys in DEFAULTS.items():
        assert section in shipped, f"[{section}] missing from crosscheck.toml"
        for key in keys:
            assert key in shipped[section], f"{section}.{key} missing from crosscheck.toml"


def test_every_environment_variable_is_in_the_readme():
    for var in [*ENV, "CROSSCHECK_CONFIG", "CROSSCHECK_DB_WAIT_S", "CROSSCHECK_FACTCHECK_KEY"]:
        assert var in README, f"{var} is not documented in README.md"
