"""README's tables against the code, in the manner of sqlite-utils' docs tests: every output file
written, every input format read and every option of ``discourse analyze`` has exactly one row,
and every row names something that exists.  A failure says which row to add or remove.
The docstring examples of the public API run too."""

import argparse
import doctest
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import discourse
import discourse._runtime.stages
import discourse.output
import discourse.pipeline
import discourse.readers
from discourse import READERS, SAMPLE, analyze, write_outputs
from discourse.cli import build_parser

README = Path(__file__).resolve().parents[1] / "README.md"


def _table(section: str) -> list[list[str]]:
    """The first cells of the first table under README's ``## section`` heading, each as the list
    of its `code` spans (a cell may name several things: "`graph.gexf`, `graph.graphml`")."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {section}' section"
    rows = [line for line in match.group(1).splitlines() if line.startswith("|")]
    assert len(rows) > 2, f"README.md's '{section}' section has no table"
    cells = [row.split("|")[1].strip() for row in rows[2:]]  # past the header and the |---| line
    return [re.findall(r"`([^`]+)`", cell) for cell in cells]


def _documented(section: str) -> list[str]:
    names = [name for cell in _table(section) for name in cell]
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"README.md's '{section}' table has more than one row for {', '.join(repeated)}"
    return names


def _differences(section: str, documented: list[str], actual: list[str],
                 row: Callable[[str], str]) -> str | None:
    """The message for names missing from or extra in a README table (None when they agree);
    ``row(name)`` is the row to add for a missing one."""
    missing = [name for name in actual if name not in documented]
    extra = [name for name in documented if name not in actual]
    lines = [f"README.md's '{section}' table lacks a row; add:\n    {row(name)}" for name in missing]
    lines += [f"README.md's '{section}' table has a row for {name!r}, which the code does not have: remove it"
              for name in extra]
    return "\n".join(lines) or None


# -- output files ---------------------------------------------------------------------------

#: A thread with times (so the timeline and activity files are written too), invented.
TIMED = [
    {"comment_id": "1", "parent_id": None, "thread_id": "t", "author": "Ann", "created_at": "2024-03-01T10:00:00Z",
     "text": "The bike lane on Main Street needs a barrier before winter."},
    {"comment_id": "2", "parent_id": "1", "thread_id": "t", "author": "Bo", "created_at": "2024-03-01T10:05:00Z",
     "text": "Ann, a barrier on Main Street would block the snow plough."},
    {"comment_id": "3", "parent_id": "2", "thread_id": "t", "author": "Ann", "created_at": "2024-03-01T10:09:00Z",
     "text": "Bo, the plough clears the bike lane barrier on other streets."},
    {"comment_id": "4", "parent_id": None, "thread_id": "t", "author": "Cy", "created_at": "2024-03-01T11:00:00Z",
     "text": "The library hours were cut again; the reading room closes at five."},
    {"comment_id": "5", "parent_id": "4", "thread_id": "t", "author": "Bo", "created_at": "2024-03-01T11:20:00Z",
     "text": "Cy, the library board meets Tuesday about the reading room hours."},
    {"comment_id": "6", "parent_id": "4", "thread_id": "t", "author": "Ann", "created_at": "2024-03-01T12:00:00Z",
     "text": "The library could open the reading room on Sunday instead."},
]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The names of the files write_outputs writes: for the shipped sample (no times) and for an
    invented thread with times, plus every name of discourse.output.OUTPUT_FILES (SVG images, ...)."""
    folder = tmp_path_factory.mktemp("docs")
    timed = folder / "timed.jsonl"
    timed.write_text("".join(json.dumps(record) + "\n" for record in TIMED), encoding="utf-8")
    names = {}
    for source in (SAMPLE, timed):
        for path in write_outputs(analyze(source), folder / source.stem):
            names.setdefault(path.name)
    registry = getattr(discourse.output, "OUTPUT_FILES", None) or {}
    for name in registry:
        if isinstance(name, str) and "{" not in name:
            names.setdefault(name)
    return list(names)


def test_both_kinds_of_input_write_the_conditional_files(written):
    # Without this, a file written only for inputs with times could go undocumented unnoticed.
    assert {"graph_timeline.gexf", "activity.png"} <= set(written)


def test_the_output_file_table_lists_every_file_written(written):
    documented = _documented("What you get")
    registry = getattr(discourse.output, "OUTPUT_FILES", None) or {}

    def row(name: str) -> str:
        description = getattr(registry.get(name), "description", None) or "(what it holds)"
        return f"| `{name}` | (one row per ..., for a table) | {description} |"

    problem = _differences("What you get", documented, written, row)
    assert problem is None, problem


# -- input formats --------------------------------------------------------------------------

def test_the_input_format_table_lists_every_reader():
    documented = _documented("Input formats")
    problem = _differences("Input formats", documented, list(READERS),
                           lambda name: f"| `{name}` | {READERS[name].description} |")
    assert problem is None, problem


# -- options --------------------------------------------------------------------------------

def _analyze_options() -> list[argparse.Action]:
    """The analyze command's options: (flags, default, help) of each, help left out."""
    parser = build_parser()
    analyze_parser = parser._subparsers._group_actions[0].choices["analyze"]
    return [action for action in analyze_parser._actions if action.option_strings and action.dest != "help"]


def _option_row(action: argparse.Action) -> str:
    takes_value = action.nargs != 0
    metavar = action.metavar or action.dest.upper()
    flags = ", ".join(f"`{flag} {metavar}`" if takes_value else f"`{flag}`" for flag in action.option_strings)
    default = "off" if not takes_value else "(none)" if action.default is None else f"`{action.default}`"
    return f"| {flags} | {default} | {action.help} |"


def test_the_options_table_lists_every_option_of_analyze():
    documented = {flag.split()[0] for flag in _documented("Options")}
    actions = _analyze_options()
    missing = [action for action in actions if not documented & set(action.option_strings)]
    flags = {flag for action in actions for flag in action.option_strings}
    lines = [f"README.md's 'Options' table lacks a row for {action.option_strings[-1]}; add:\n    {_option_row(action)}"
             for action in missing]
    lines += [f"README.md's 'Options' table has a row for {flag}, which `discourse analyze` does not accept: remove it"
              for flag in sorted(documented - flags)]
    assert not lines, "\n".join(lines)


# -- the checks themselves ------------------------------------------------------------------

def test_a_missing_or_extra_row_is_named_with_the_row_to_add():
    message = _differences("Input formats", ["text", "gone"], ["text", "new"], lambda name: f"| `{name}` | ... |")
    assert message == ("README.md's 'Input formats' table lacks a row; add:\n    | `new` | ... |\n"
                       "README.md's 'Input formats' table has a row for 'gone', which the code does not have: "
                       "remove it")
    assert _differences("Input formats", ["a", "b"], ["b", "a"], str) is None


def test_table_cells_may_name_several_things():
    cells = _table("Input formats")
    assert ["hackernews-json", "hackernews-html"] in cells


# -- docstring examples ---------------------------------------------------------------------

@pytest.mark.parametrize("module", [discourse.pipeline, discourse._runtime.stages, discourse.readers,
                                    discourse.model.names, discourse.model.pseudonyms],
                         ids=lambda module: module.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed


# -- the package layout ---------------------------------------------------------------------

def test_the_layout_table_lists_every_package():
    root = Path(discourse.__file__).parent
    packages = ["discourse/"] + sorted(f"{path.parent.name}/" for path in root.glob("*/__init__.py"))
    documented = [cell[0] for cell in _table("How it works") if cell]
    problem = _differences("How it works", documented, packages,
                           lambda name: f"| `{name}` | (its modules and what they hold) | (what it takes → gives) |")
    assert problem is None, problem
