"""The output folder: whether discourse may write there, and how a run replaces its files.

discourse writes into a folder only when it is missing, empty, or was written by discourse (its
``run.json`` says so); ``force`` lets it write its files into any other folder.  Either way it
replaces only the files it writes and leaves every other file alone.

A run writes its files into a hidden staging folder inside the output folder (same file system,
so each move is a rename) and moves them into place only when all are written: until then the
previous outputs stay as they were.  The moves run with Ctrl-C and SIGTERM held back, so an
interruption lands before them (the staging folder is removed, the old files stay) or after them
(the new files are all there).  Files the previous run wrote and this one does not (an SVG, a
timeline) are removed with the moves.  Two runs on one folder take turns: the second waits for
the first (an advisory lock on the folder, released when the process ends, however it ends).
The folder's own permissions are never changed; folders made get the user's umask.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..exceptions import ExportError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks here; runs on one folder are up to the user
    fcntl = None

__all__ = ["CONVOKIT_FILES", "MARKER", "check_corpus_folder", "check_output_file", "check_output_folder", "input_facts",
           "marked_files", "os_reason", "replacing", "replacing_corpus_folder", "replacing_file"]

#: The file that marks a folder as discourse's; it is also the run's record (see README).
MARKER = "run.json"
#: Names of staging folders (hidden, inside the output folder).
STAGING_PREFIX = ".discourse-staging-"
_SHOWN = 5  # foreign names an error lists
_log = logging.getLogger("discourse")

_REASONS = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
            errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.EDQUOT: "the disk quota is used up", errno.ENOENT: "no such file or folder",
            errno.ENOTDIR: "a part of the path is a file, not a folder",
            errno.EEXIST: "a file of that name is in the way", errno.ENAMETOOLONG: "the name is too long"}


def os_reason(error: OSError) -> str:
    """What went wrong, in plain words (``[Errno 28] No space left on device`` -> "the disk is full")."""
    return _REASONS.get(error.errno) or (error.strerror or str(error)).lower()


def marked_files(folder: Path) -> list[str] | None:
    """The files discourse's run.json in ``folder`` lists, or None when ``folder`` has no run.json
    of discourse's (missing, unreadable, or another tool's file of that name)."""
    try:
        record = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("tool") != "discourse" or not isinstance(record.get("files"), list):
        return None
    return [name for name in record["files"] if isinstance(name, str) and "/" not in name and name not in ("", ".", "..")]


def _is_discourse_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink() and marked_files(path) is not None


def foreign_entries(folder: Path) -> list[str]:
    """The entries of ``folder`` discourse did not write, sorted, folders with a trailing "/".

    A folder written by discourse (with its run.json) is all discourse's: what else is in it is
    the user's and is kept, but it does not stop a run.  Otherwise every entry is foreign except
    staging folders left by a killed run and per-thread folders discourse wrote.
    """
    if not folder.is_dir() or marked_files(folder) is not None:
        return []
    foreign = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(STAGING_PREFIX) or _is_discourse_folder(entry):
            continue
        foreign.append(entry.name + ("/" if entry.is_dir() else ""))
    return foreign


def check_output_folder(folder: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                        force: bool = False) -> Path:
    """Raise :class:`ExportError` unless discourse may write its files into ``folder``; return it.

    Parameters
    ----------
    folder : str or path
        The output folder, as the user named it (the messages quote it so).
    inputs : iterable of paths
        The files read: the folder may not be one of them or hold one.
    force : bool
        Write into a folder holding files discourse did not write (they are left alone).

    Returns
    -------
    Path
        ``folder`` as a Path.

    Examples
    --------
    >>> check_output_folder("output/new-thread")   # doctest: +SKIP
    PosixPath('output/new-thread')
    """
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise ExportError(f"{folder} is a file, not a folder; -o names the folder discourse writes into")
    if path.is_symlink() and not path.exists():
        raise ExportError(f"{folder} is a link to {os.readlink(path)}, which does not exist")
    try:
        where = path.resolve()
    except RuntimeError:  # Python < 3.13 raises it for a loop of links
        raise ExportError(f"{folder} is a loop of symbolic links, not a folder") from None
    for source in inputs:
        try:
            held = Path(source).resolve()
        except RuntimeError:  # a loop of links: reading it says so
            continue
        if held == where or where in held.parents:
            raise ExportError(f"{folder} holds the input {source}; choose an output folder that holds no input")
    foreign = foreign_entries(path)
    if foreign and where == Path.cwd().resolve():
        raise ExportError(f"{folder} is the working folder and holds files discourse did not write "
                          f"({_listed(foreign)}); choose another folder")
    if foreign and not force:
        raise ExportError(f"{folder} holds files discourse did not write ({_listed(foreign)}); "
                          "use --force to write its files there anyway")
    return path


def _listed(names: Sequence[str]) -> str:
    return ", ".join(names[:_SHOWN]) + (", ..." if len(names) > _SHOWN else "")


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (a directory descriptor: no lock file to leave behind)."""
    if fcntl is None:
        yield
        return
    handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _log.warning("another discourse run is writing %s; waiting for it to finish", folder)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM for the block; deliver them once it is done.

    Python runs signal handlers in the main thread only, so there (and only there) the handlers
    are swapped for ones that note the signal.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    kinds = [signal.SIGINT, signal.SIGTERM]
    previous = {kind: signal.signal(kind, lambda number, frame: caught.append(number)) for kind in kinds}
    try:
        yield
    finally:
        for kind, handler in previous.items():
            signal.signal(kind, handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def replacing(folder: str | os.PathLike, *, force: bool = False) -> Iterator[Path]:
    """Yield a staging folder to write a run's files into; on success, move them into ``folder``.

    ``folder`` is checked (:func:`check_output_folder`), made when missing and locked for the run.
    When the block raises (or is interrupted), the staging folder is removed and ``folder`` keeps
    its files.  The file named :data:`MARKER` is moved last.
    """
    folder = check_output_folder(folder, force=force)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"could not make the folder {folder}: {os_reason(error)}") from error
    with _locked(folder):
        folder = check_output_folder(folder, force=force)  # again: another run may have written it meanwhile
        for stale in folder.glob(f"{STAGING_PREFIX}*"):  # left by a killed run (the lock says none is running)
            _remove(stale)
        previous = marked_files(folder) or []
        with _staging(folder, shown=folder) as staging:
            yield staging
            with _signals_held():
                names = _move_files(staging, folder)
                for name in set(previous) - set(names):  # the previous run's, not written this time
                    old = folder / name
                    if old.is_file() or old.is_symlink():
                        old.unlink()


@contextmanager
def _staging(folder: Path, *, shown: str | os.PathLike) -> Iterator[Path]:
    """A new staging folder inside ``folder``, removed when the block ends however it ends; a
    system error in the block becomes one sentence naming ``shown`` (the folder as the user named it)."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    except OSError as error:
        raise ExportError(f"could not write into {shown}: {os_reason(error)}") from error
    try:
        yield staging
    except OSError as error:
        raise ExportError(f"could not write into {shown}: {os_reason(error)}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_files(staging: Path, folder: Path) -> list[str]:
    """Move every file of ``staging`` into ``folder`` (the marker last: it lists the others); their names.

    Checked before the first move, so a folder in the way of one file leaves ``folder`` as it was.
    """
    names = sorted(p.name for p in staging.iterdir())
    names.sort(key=lambda name: name == MARKER)
    in_the_way = [name for name in names if (folder / name).is_dir() and not (folder / name).is_symlink()]
    if in_the_way:
        raise ExportError(f"{folder / in_the_way[0]} is a folder; discourse writes a file of that name there")
    for name in names:
        os.replace(staging / name, folder / name)
    return names


def input_facts(paths: Iterable[str | os.PathLike]) -> list[dict[str, object]]:
    """Each input's path, size in bytes and SHA-256 (None for a folder, such as a ConvoKit corpus)."""
    facts = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            facts.append({"path": str(path), "size": None, "sha256": None})
            continue
        digest = hashlib.sha256()
        with open(path, "rb") as data:
            for block in iter(lambda: data.read(1 << 20), b""):
                digest.update(block)
        facts.append({"path": str(path), "size": path.stat().st_size, "sha256": digest.hexdigest()})
    return facts


# -- `discourse convert -o`: one file, or a ConvoKit corpus folder --------------------------------

#: The files of a ConvoKit corpus folder discourse writes (see :func:`~discourse.readers.convokit.write_convokit`).
CONVOKIT_FILES = ("conversations.json", "corpus.json", "index.json", "speakers.json", "utterances.jsonl")


def _check_target(path: Path, given: str | os.PathLike, inputs: Iterable[str | os.PathLike]) -> Path:
    """The rules every output path keeps: not an input, not a folder holding one, not the working folder."""
    where = path.resolve()
    for source in inputs:
        held = Path(source).resolve()
        if held == where:
            raise ExportError(f"{given} is the input {source}; choose another output")
        if where in held.parents:
            raise ExportError(f"{given} holds the input {source}; choose an output that holds no input")
    if where == Path.cwd().resolve():
        raise ExportError(f"{given} is the working folder; choose another output")
    return where


def _written_by_discourse(folder: Path) -> bool:
    """A ConvoKit corpus folder discourse wrote: only its files, and its corpus.json says so."""
    try:
        names = {entry.name for entry in folder.iterdir() if not entry.name.startswith(STAGING_PREFIX)}
        overall = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return names <= set(CONVOKIT_FILES) and isinstance(overall, dict) and overall.get("generator") == "discourse"


def check_output_file(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                      force: bool = False) -> Path:
    """Raise :class:`ExportError` unless ``convert`` may write the file ``path``; return it.

    The file may not be an input, a folder or the working folder; an existing file is replaced
    only with ``force``; its folder must exist.

    Examples
    --------
    >>> check_output_file("comments.csv", inputs=["thread.txt"])   # doctest: +SKIP
    PosixPath('comments.csv')
    """
    target = Path(path)
    _check_target(target, path, inputs)
    if target.is_dir():
        raise ExportError(f"{path} is a folder; -o names the file to write (a ConvoKit corpus: --to convokit)")
    if not target.parent.is_dir():
        raise ExportError(f"{path}: the folder {target.parent} does not exist")
    if target.exists() and not force:
        raise ExportError(f"{path} exists; use --force to replace it")
    return target


def check_corpus_folder(folder: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                        force: bool = False) -> Path:
    """Raise :class:`ExportError` unless ``convert --to convokit`` may write into ``folder``; return it.

    The folder may be missing, empty or a ConvoKit corpus discourse wrote; any other, only with
    ``force`` (and then only the corpus's five files are replaced).  It may not be an input, hold
    one, or be the working folder.
    """
    path = Path(folder)
    _check_target(path, folder, inputs)
    if path.exists() and not path.is_dir():
        raise ExportError(f"{folder} is a file, not a folder; --to convokit writes a corpus folder")
    if path.is_dir() and any(path.iterdir()) and not _written_by_discourse(path) and not force:
        foreign = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in path.iterdir())
        raise ExportError(f"{folder} holds files discourse did not write ({_listed(foreign)}); "
                          "use --force to write its files there anyway")
    return path


def _new_file_mode() -> int:
    """The mode a file made by ``open`` gets (0666 less the umask); tempfile makes them 0600."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def replacing_file(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                   force: bool = False) -> Iterator[Path]:
    """Yield a hidden temporary file beside ``path``; on success it replaces ``path`` in one rename.

    ``path`` is checked first (:func:`check_output_file`).  When the block raises or is
    interrupted, the temporary file is removed and ``path`` keeps what it held.
    """
    target = check_output_file(path, inputs=inputs, force=force)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as error:
        raise ExportError(f"could not write {path}: {os_reason(error)}") from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        mode = target.stat().st_mode & 0o7777 if target.exists() else _new_file_mode()
        os.chmod(temporary, mode)
        with _signals_held():
            os.replace(temporary, target)
    except OSError as error:
        raise ExportError(f"could not write {path}: {os_reason(error)}") from error
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def replacing_corpus_folder(folder: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                            force: bool = False) -> Iterator[Path]:
    """Yield a staging folder for a ConvoKit corpus; on success its files replace those in ``folder``.

    ``folder`` is checked first (:func:`check_corpus_folder`) and made when missing; other files
    in it are left alone.  When the block raises or is interrupted, the staging folder is removed.
    """
    path = check_corpus_folder(folder, inputs=inputs, force=force)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"could not write into {folder}: {os_reason(error)}") from error
    with _staging(path, shown=folder) as staging:
        yield staging
        with _signals_held():
            _move_files(staging, path)
