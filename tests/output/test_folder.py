"""The output folder through the command line: what discourse may write into, what it keeps, and
what an interruption leaves (tests in the manner of tests/test_hostile.py: small inputs made here)."""

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from discourse.cli import main
from discourse.output import folder as output_folder
from discourse.output.folder import MARKER, STAGING_PREFIX

ROOT = Path(__file__).resolve().parents[2]
THREAD = [{"comment_id": f"c{i}", "parent_id": f"c{i - 1}" if i % 3 else None, "author": ["Ann", "Bob", "Cy"][i % 3],
           "text": f"the levee and the pumps, point {i}"} for i in range(12)]


def write_jsonl(path, records=THREAD):
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def one_error_line(capsys):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


def contents(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))}


def balanced(folder):
    counts = json.loads((folder / MARKER).read_text(encoding="utf-8"))["counts"]
    assert counts["read"] == counts["written"] + counts["skipped"] + counts["filtered"], counts
    return counts


ALL_FILES = {"test_files_of_the_previous_run_it_no_longer_writes_are_removed"}


@pytest.fixture(autouse=True)
def fast_outputs(request, monkeypatch):
    """Tables, graph files and run.json only: the folder rules are the same for every file, and the
    images and reports take most of a run's time; the tests in ``ALL_FILES`` keep them)."""
    if request.node.originalname in ALL_FILES:
        return
    from discourse.output import OUTPUT_FILES
    for name in list(OUTPUT_FILES):
        if name.endswith((".png", ".svg", ".md", ".html")):
            monkeypatch.delitem(OUTPUT_FILES, name)


@pytest.fixture
def thread(tmp_path):
    (tmp_path / "in").mkdir()
    return write_jsonl(tmp_path / "in" / "thread.jsonl")


def test_a_folder_of_the_users_is_refused_and_left_as_it_was(tmp_path, thread, capsys):
    user = tmp_path / "userdir"
    (user / "sub").mkdir(parents=True)
    (user / "notes.txt").write_text("notes\n")
    user.chmod(0o750)
    before = contents(user)
    assert main(["analyze", str(thread), "-o", str(user)]) == 1
    assert one_error_line(capsys) == (f"error: {user} holds files discourse did not write (notes.txt, sub/); "
                                      "use --force to write its files there anyway")
    assert contents(user) == before and oct(user.stat().st_mode & 0o777) == "0o750"


def test_force_replaces_only_discourses_files(tmp_path, thread):
    user = tmp_path / "userdir"
    (user / "sub").mkdir(parents=True)
    (user / "sub" / "keep.txt").write_text("kept\n")
    (user / "notes.txt").write_text("notes\n")
    user.chmod(0o750)
    assert main(["analyze", str(thread), "-o", str(user), "--force", "-q"]) == 0
    assert (user / "notes.txt").read_text() == "notes\n" and (user / "sub" / "keep.txt").read_text() == "kept\n"
    assert oct(user.stat().st_mode & 0o777) == "0o750"
    record = json.loads((user / MARKER).read_text(encoding="utf-8"))
    assert set(record["files"]) == {p.name for p in user.iterdir()} - {"notes.txt", "sub"}
    assert balanced(user) == {"read": 12, "written": 12, "skipped": 0, "filtered": 0}
    # written by discourse now: a second run needs no --force and still keeps the user's files
    assert main(["analyze", str(thread), "-o", str(user), "-q"]) == 0
    assert (user / "notes.txt").read_text() == "notes\n" and not list(user.glob(f"{STAGING_PREFIX}*"))


def test_files_of_the_previous_run_it_no_longer_writes_are_removed(tmp_path, thread):
    out = tmp_path / "out"
    assert main(["analyze", str(thread), "-o", str(out), "--svg", "-q"]) == 0
    assert (out / "network.svg").is_file()
    (out / "mine.txt").write_text("mine")
    assert main(["analyze", str(thread), "-o", str(out), "-q"]) == 0
    assert not list(out.glob("*.svg")) and (out / "mine.txt").read_text() == "mine"


@pytest.mark.parametrize("start, where", [("empty", "."), ("p/child", ".."), ("work", "../proj"),
                                          ("work", "link"), ("work", "rel/a/b")])
def test_relative_dot_and_linked_folders_work(tmp_path, thread, monkeypatch, start, where):
    for folder in ("empty", "p/child", "work", "target"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "p" / "child" / MARKER).write_text(json.dumps({"tool": "discourse", "files": []}))  # discourse's
    (tmp_path / "work" / "link").symlink_to(tmp_path / "target")
    monkeypatch.chdir(tmp_path / start)
    assert main(["analyze", str(thread), "-o", where, "-q"]) == 0
    written = Path(where).resolve()
    assert (written / "comments.csv").is_file() and balanced(written)
    assert not list(written.glob(".*")) and not list(written.parent.glob(".*"))  # no staging left anywhere
    assert (tmp_path / "work" / "link").is_symlink()


def test_a_folder_on_another_file_system_works(tmp_path, thread):
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system here")
    out = shm / f"discourse-test-{os.getpid()}"
    try:
        assert main(["analyze", str(thread), "-o", str(out), "-q"]) == 0
        assert balanced(out) and not list(out.glob(".*"))
    finally:
        import shutil
        shutil.rmtree(out, ignore_errors=True)


def test_new_folders_get_the_users_umask(tmp_path, thread):
    old = os.umask(0o027)
    try:
        assert main(["analyze", str(thread), "-o", str(tmp_path / "a" / "b"), "-q"]) == 0
    finally:
        os.umask(old)
    assert oct((tmp_path / "a").stat().st_mode & 0o777) == "0o750"
    assert oct((tmp_path / "a" / "b").stat().st_mode & 0o777) == "0o750"
    assert oct((tmp_path / "a" / "b" / "comments.csv").stat().st_mode & 0o777) == "0o640"


@pytest.mark.parametrize("target, message", [
    ("file", "{o} is a file, not a folder; -o names the folder discourse writes into"),
    ("input", "{o} is a file, not a folder; -o names the folder discourse writes into"),
    ("above", "{o} holds the input {i}; choose an output folder that holds no input"),
    ("cwd", "{o} is the working folder and holds files discourse did not write (x.txt); choose another folder"),
])
def test_o_may_not_name_a_file_an_input_or_a_folder_above_one(tmp_path, thread, monkeypatch, capsys, target, message):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    (tmp_path / "work" / "x.txt").write_text("mine")
    o = {"file": "x.txt", "input": str(thread), "above": str(tmp_path), "cwd": os.getcwd()}[target]
    before = contents(tmp_path)
    args = ["analyze", str(thread), "-o", o] + (["--force"] if target != "file" else [])
    assert main(args) == 1
    assert one_error_line(capsys) == "error: " + message.format(o=o, i=thread)
    assert contents(tmp_path) == before


def test_a_read_only_folder_is_one_plain_sentence(tmp_path, thread, capsys):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    out = tmp_path / "ro"
    out.mkdir(mode=0o555)
    assert main(["analyze", str(thread), "-o", str(out)]) == 1
    assert one_error_line(capsys) == f"error: could not write into {out}: permission denied"


@pytest.mark.parametrize("number, reason", [(errno.ENOSPC, "the disk is full"),
                                            (errno.EROFS, "the file system is read-only")])
def test_a_full_disk_is_one_plain_sentence_and_keeps_the_previous_outputs(tmp_path, thread, capsys, monkeypatch,
                                                                          number, reason):
    out = tmp_path / "out"
    assert main(["analyze", str(thread), "-o", str(out), "-q"]) == 0
    before = contents(out)

    def full(*args, **kwargs):
        raise OSError(number, os.strerror(number))
    monkeypatch.setattr("discourse.output.write.write_graphml", full)
    assert main(["analyze", str(thread), "-o", str(out)]) == 1
    assert one_error_line(capsys) == f"error: could not write into {out}: {reason}"
    assert contents(out) == before


def test_a_real_full_disk_if_a_tiny_tmpfs_can_be_mounted(tmp_path, thread, capsys):
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        assert main(["analyze", str(thread), "-o", str(mount / "out")]) == 1
        assert one_error_line(capsys) == f"error: could not write into {mount / 'out'}: the disk is full"
        assert list((mount / "out").iterdir()) == []
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_signals_during_the_moves_arrive_after_them():
    caught = []
    previous = signal.signal(signal.SIGTERM, lambda number, frame: caught.append("handled"))
    try:
        with output_folder._signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            caught.append("moved")
        time.sleep(0.05)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert caught == ["moved", "handled"]


def test_two_runs_on_one_folder_take_turns(tmp_path, thread):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    handle = os.open(out, os.O_RDONLY)
    fcntl.flock(handle, fcntl.LOCK_EX)  # as a first run writing there holds it
    log = tmp_path / "stderr"
    with open(log, "w") as err:
        run = subprocess.Popen([sys.executable, "-m", "discourse", "analyze", str(thread), "-o", str(out)],
                               cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=err)
    try:
        deadline = time.monotonic() + 120
        while "another discourse run is writing" not in log.read_text() and time.monotonic() < deadline:
            assert run.poll() is None, log.read_text()
            time.sleep(0.1)
        time.sleep(0.5)
        assert run.poll() is None and list(out.iterdir()) == []  # it waits, writing nothing
    finally:
        os.close(handle)
    assert run.wait(timeout=300) == 0, log.read_text()
    assert log.read_text().splitlines()[0] == f"another discourse run is writing {out}; waiting for it to finish"
    assert balanced(out)


def _children(pid):
    """The process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def _forks(pid):
    """The children of ``pid`` that are forks of it (its worker processes: the same command line)."""
    def command(of):
        try:
            return Path(f"/proc/{of}/cmdline").read_bytes()
        except OSError:
            return None
    return [child for child in _children(pid) if command(child) == command(pid)]


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _previous_outputs(tmp_path, thread):
    out = tmp_path / "out"
    assert main(["analyze", str(thread), "-o", str(out), "-q"]) == 0
    return out, contents(out)


def _terminate_when(run, ready, timeout=240):
    deadline = time.monotonic() + timeout
    while not ready() and time.monotonic() < deadline:
        assert run.poll() is None, run.stderr.read()
        time.sleep(0.05)
    assert ready(), "the run never reached the stage"
    workers = _forks(run.pid)
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=120) == 143
    return workers


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_sigterm_during_topics_of_50k_comments_leaves_no_worker_and_the_previous_outputs_whole(tmp_path, thread):
    corpus = tmp_path / "in" / "big.jsonl"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "synthetic.py"), "50000", str(corpus)], check=True)
    out, before = _previous_outputs(tmp_path, thread)
    run = subprocess.Popen([sys.executable, "-m", "discourse", "analyze", str(corpus), "-o", str(out)],
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE, text=True)
    workers = _terminate_when(run, lambda: bool(_forks(run.pid)))  # the topics worker started
    assert run.stderr.read().strip() == "error: terminated"
    assert workers and not any(_alive(pid) for pid in workers)
    assert contents(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_sigterm_while_writing_leaves_no_staging_folder_and_no_worker(tmp_path, thread):
    out, before = _previous_outputs(tmp_path, thread)
    started = tmp_path / "in" / "graph-writer"
    # The graph files written by a worker (as from 50,000 comments) that takes its time.
    script = f"""
import functools, os, sys, time
from discourse import cli
from discourse.output import write
cli.write_outputs = functools.partial(write.write_outputs, alongside_from=0)
def slow(*args, **kwargs):
    with open({str(started)!r}, "w") as note:
        note.write(str(os.getpid()))
    time.sleep(600)
write.write_graphml = slow
from discourse.cli import main
sys.exit(main(["analyze", {str(thread)!r}, "-o", {str(out)!r}]))
"""
    run = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": str(ROOT)},
                           stderr=subprocess.PIPE, text=True)
    _terminate_when(run, lambda: started.is_file() and started.read_text() != "")
    assert run.stderr.read().strip() == "error: terminated"
    assert not _alive(int(started.read_text()))
    assert contents(out) == before  # no staging folder inside, the old files as they were
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]
