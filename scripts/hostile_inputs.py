"""Build the big hostile inputs of issue 22 and time `discourse analyze` on each, with peak memory.

    python scripts/hostile_inputs.py [--only NAME ...] [--keep DIR]

Inputs (made in a temporary folder, or DIR with --keep):

- ``comment-100mb``: a JSON Lines table of three comments, one holding a single 100 MB token
  (over the 10 MB record limit, so it is skipped and reported);
- ``comment-9mb``: the same with a 9 MB token, under the limit, so it is analyzed;
- ``line-1gb-zst``: a Reddit dump (.zst, ~33 KB) that expands to one 1 GB line between two comments;
- ``line-100mb-zst``: the same with a 100 MB line;
- ``newlines-1gb-zst``: a .zst of two comments and 1 GB of newlines;
- ``chain-5k``, ``chain-20k``, ``chain-100k``: a Hacker News Firebase ``kids``/``parent`` reply chain
  5,000, 20,000 and 100,000 deep (time should grow with the depth, not its square).

Each is analyzed by a fresh ``python -m discourse analyze FILE -o OUT -q`` under
``/usr/bin/time -v`` (wall time, peak resident memory); the script prints one row per input.
It calls only the command line, as a user would.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

_MB = 1 << 20


def _comment(i, text, author=None):
    return {"comment_id": f"c{i}", "parent_id": "c0" if i else None, "author": author or ["Ann", "Bob", "Cy"][i % 3],
            "text": text}


def _table_with_token(path: Path, size: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(_comment(0, "the levee held")) + "\n")
        out.write('{"comment_id": "c1", "parent_id": "c0", "author": "Bob", "text": "')
        chunk = "x" * _MB
        for _ in range(size // _MB):
            out.write(chunk)
        out.write('"}\n')
        out.write(json.dumps(_comment(2, "the pumps failed")) + "\n")
    return path


def _dump_line(i: int) -> bytes:
    return (json.dumps({"id": f"d{i}", "parent_id": "t3_s", "link_id": "t3_s", "author": ["ann", "bob"][i % 2],
                        "body": "the levee held", "created_utc": 1_700_000_000 + i}) + "\n").encode()


def _zst(path: Path, middle) -> Path:
    import zstandard

    with path.open("wb") as out, zstandard.ZstdCompressor().stream_writer(out) as writer:
        writer.write(_dump_line(0))
        for piece in middle():
            writer.write(piece)
        writer.write(_dump_line(1))
    return path


def _long_line(size: int):
    def pieces():
        yield b'{"id": "big", "parent_id": "t3_s", "link_id": "t3_s", "body": "'
        chunk = b"y" * _MB
        for _ in range(size // _MB):
            yield chunk
        yield b'"}\n'
    return pieces


def _newlines(size: int):
    def pieces():
        chunk = b"\n" * _MB
        for _ in range(size // _MB):
            yield chunk
    return pieces


def _chain(path: Path, depth: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"id": 0, "type": "story", "by": "op", "time": 1_700_000_000, "title": "Deep",
                              "kids": [1], "descendants": depth}) + "\n")
        for i in range(1, depth + 1):
            out.write(json.dumps({"id": i, "type": "comment", "by": ["ann", "bob", "cy"][i % 3],
                                  "time": 1_700_000_000 + i, "parent": i - 1, "kids": [i + 1] if i < depth else [],
                                  "text": f"point {i} on the levee"}) + "\n")
    return path


INPUTS = {
    "comment-100mb": lambda d: _table_with_token(d / "comment-100mb.jsonl", 100 * _MB),
    "comment-9mb": lambda d: _table_with_token(d / "comment-9mb.jsonl", 9 * _MB),
    "line-1gb-zst": lambda d: _zst(d / "line-1gb.ndjson.zst", _long_line(1024 * _MB)),
    "line-100mb-zst": lambda d: _zst(d / "line-100mb.ndjson.zst", _long_line(100 * _MB)),
    "newlines-1gb-zst": lambda d: _zst(d / "newlines-1gb.ndjson.zst", _newlines(1024 * _MB)),
    "chain-5k": lambda d: _chain(d / "chain-5k.jsonl", 5_000),
    "chain-20k": lambda d: _chain(d / "chain-20k.jsonl", 20_000),
    "chain-100k": lambda d: _chain(d / "chain-100k.jsonl", 100_000),
}


def _measure(path: Path, out: Path) -> tuple[float, float, int, str]:
    """(wall seconds, peak MB, exit code, last stderr line) of one analysis."""
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "discourse", "analyze", str(path), "-o", str(out), "-q"]
    done = subprocess.run(command, capture_output=True, text=True)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    seconds = (int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])) if wall else float("nan")
    said = [line for line in done.stderr.splitlines() if line and not line.startswith("\t")]
    return seconds, int(peak[1]) / 1024 if peak else float("nan"), done.returncode, said[-1] if said else ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=sorted(INPUTS), help="inputs to build and time (default: all)")
    parser.add_argument("--keep", type=Path, help="build the inputs in this folder and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'input':18} {'size':>10} {'seconds':>8} {'peak MB':>8} {'exit':>4}  last message")
        for name in args.only or INPUTS:
            path = INPUTS[name](folder)
            seconds, peak, code, said = _measure(path, folder / f"out-{name}")
            print(f"{name:18} {path.stat().st_size / _MB:>9.1f}M {seconds:>8.1f} {peak:>8.0f} {code:>4}  {said[:110]}",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
