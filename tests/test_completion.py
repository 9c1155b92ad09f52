"""Shell completion, derived from the parser: run in real bash and zsh."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import pavedroad

from generator.cli import _parser
from generator.completion import commands, completion_script


def _bash_complete(script: str, *words: str) -> list[str]:
    """What bash offers after ``words`` (the last one is being typed)."""
    line = " ".join(f"'{w}'" for w in words)
    program = (f"{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}\n"
               "_pavedroad\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    result = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True,
                            check=True)
    return [w for w in result.stdout.splitlines() if w]


@pytest.fixture(scope="module")
def bash_script() -> str:
    result = pavedroad("completion", "bash")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_bash_completes_every_subcommand_of_the_parser(bash_script):
    names = [c.name for c in commands(_parser())]
    assert {"check", "build", "init", "schema", "completion"} <= set(names)
    assert _bash_complete(bash_script, "pavedroad", "")[:len(names)] == names
    assert _bash_complete(bash_script, "pavedroad", "co") == ["completion"]


def test_bash_completes_options_and_their_choices(bash_script):
    assert "--strict" in _bash_complete(bash_script, "pavedroad", "check", "--s")
    assert _bash_complete(bash_script, "pavedroad", "check", "--format", "s") == ["sarif"]
    assert _bash_complete(bash_script, "pavedroad", "schema", "") == [
        "sources", "scorecards", "catalog-info"]
    assert _bash_complete(bash_script, "pavedroad", "completion", "z") == ["zsh"]


def test_a_new_subcommand_appears_in_the_completion_without_other_changes():
    parser = _parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    extra = sub.add_parser("frobnicate", help="a command added later")
    extra.add_argument("--level", choices=("low", "high"))
    script = completion_script(parser, "bash")
    assert _bash_complete(script, "pavedroad", "frob") == ["frobnicate"]
    assert _bash_complete(script, "pavedroad", "frobnicate", "--level", "") == ["low", "high"]
    assert "frobnicate:a command added later" in completion_script(parser, "zsh")


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_script_loads_and_registers_the_completion():
    script = pavedroad("completion", "zsh").stdout
    assert script.startswith("#compdef pavedroad\n")
    program = ("autoload -Uz compinit && compinit -u -D\n" + script
               + "\nprint -r -- ${_comps[pavedroad]}\n")
    result = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "_pavedroad"
    assert result.stderr == ""
    for name in ("check", "init", "schema"):
        assert f"'{name}:" in script
    assert "'--format[" in script and "(text json github sarif)" in script
