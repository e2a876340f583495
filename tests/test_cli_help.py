"""``--help`` of the command and of every subcommand ends with a working example; ``--version``.

The subcommands are read from the parser itself, so a new one without an example fails here.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from zavera_desktop import __version__
from zavera_desktop.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def _subcommands() -> list[str]:
    parser = build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(sub.choices)


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def _examples(text: str) -> list[str]:
    """The example command lines after "example:" / "examples:" (continuation lines joined)."""
    match = re.search(r"^examples?:\n((?:  .*\n?)+)", text, re.MULTILINE)
    assert match, f"no example section in:\n{text}"
    lines, current = [], ""
    for raw in match.group(1).splitlines():
        line = raw.strip()
        current = f"{current} {line}".strip() if current else line
        if current.endswith("\\"):
            current = current[:-1].rstrip()
            continue
        lines.append(current)
        current = ""
    return lines


def test_every_subcommand_is_known():
    assert {"demo", "sandbox", "watch", "gui", "check", "replay", "actions", "doctor", "payments"} <= set(
        _subcommands())


@pytest.mark.parametrize("command", _subcommands())
def test_subcommand_help_ends_with_an_example_of_itself(capsys, command):
    text = _help(capsys, command)
    assert text.startswith(f"usage: zavera-desktop {command}")
    examples = _examples(text)
    assert examples
    for example in examples:
        words = [w for w in shlex.split(example.split("#")[0]) if "=" not in w or w.startswith("-")]
        assert words[0] == "zavera-desktop", example
        if command != "demo" or len(words) > 1:  # bare `zavera-desktop` runs the demo
            assert words[1] == command, example


@pytest.mark.parametrize("command", _subcommands())
def test_every_example_parses(capsys, command):
    """The examples are real command lines: the parser accepts each of them."""
    parser = build_parser()
    for example in _examples(_help(capsys, command)):
        words = [w for w in shlex.split(example.split("#")[0]) if "=" not in w or w.startswith("-")]
        args = words[1:] if command != "demo" or len(words) > 1 else ["demo"]
        parser.parse_args(args)


def test_top_level_help_lists_the_commands_the_selftest_and_examples(capsys):
    text = _help(capsys)
    for command in _subcommands():
        assert command in text
    assert "--selftest" in text
    assert "--version" in text
    assert "zavera-desktop --selftest" in _examples(text)[0]


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"zavera-desktop {__version__}"


def test_help_as_a_real_command():
    """Through ``python -m zavera_desktop``, in a C locale (no UTF-8) as a cron job or service would run it."""
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("PYTHONUTF8", None)
    result = subprocess.run([sys.executable, "-m", "zavera_desktop", "watch", "--help"], capture_output=True,
                            text=True, timeout=60, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "example:" in result.stdout
