"""Command line: thin subcommands over the public API.

The only place that catches :class:`DiscourseError`: it prints one line ``error: ...`` and
exits with status 1 (``--verbose`` shows the traceback instead).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import signal
import sys
import threading
import traceback
import warnings
from pathlib import Path

from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from . import __version__
from .exceptions import DiscourseError, OptionsError
from .output.folder import (check_corpus_folder, check_output_file, check_output_folder, os_reason,
                            replacing_corpus_folder, replacing_file)
from .output.xml import clean_name
from .model.corpus import Corpus, safe_name, split_threads, tally
from .model.names import find_aliases, merge_aliases, read_aliases
from .model.pseudonyms import check_key_path, pseudonymise, write_key
from .model.filters import Filters, filter_corpus
from .network.graph import EDGE_KINDS
from .output.per_thread import write_per_thread
from .output.write import write_csv, write_outputs
from .pipeline import SAMPLE, Options, analyze_corpus, default_name
from ._runtime.progress import stages
from .readers import READERS, read_corpus
from .readers.convokit import write_convokit
from .readers.table import parse_column_mapping

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from types import FrameType

#: The flag that sets each of Options' fields, named in its error messages.
_FLAGS = {"edge_kinds": "--edges", "post_author_edges": "--post-author-edges", "n_topics": "--topics",
          "min_branch_comments": "--min-branch", "random_state": "--seed", "labels": "--labels",
          "threads": "--thread", "since": "--since", "until": "--until", "min_comments": "--min-comments",
          "exclude_authors": "--exclude-author", "exclude_bots": "--exclude-bots", "columns": "--columns"}


def _edge_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in EDGE_KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(EDGE_KINDS)}; got {text!r}")
    return kinds


def _column_mapping(text: str) -> dict[str, str]:
    try:
        return parse_column_mapping(text)
    except OptionsError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("columns: ")) from None


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=sorted(READERS), help="input format (default: detected from content)")
    parser.add_argument("--columns", type=_column_mapping, metavar="MAP",
                        help="a CSV or JSON Lines table's columns as discourse's, e.g. "
                             "id=comment_id,parent=parent_id,user=author,body=text (default: the usual names)")
    parser.add_argument("--strict", action="store_true",
                        help="fail on the first record that cannot be read (default: skip it and report it)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="show tracebacks and debug messages")


def _add_names(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--alias", metavar="CSV",
                        help="merge the names of one person: a CSV with the columns alias,name "
                             "(discourse aliases proposes one)")
    parser.add_argument("--pseudonymise", action="store_true",
                        help="replace every commenter name by a pseudonym, in every output and inside the texts; "
                             "URLs and e-mail addresses masked")
    parser.add_argument("--salt", metavar="TEXT",
                        help="the secret the pseudonyms are made with: the same salt gives the same pseudonyms "
                             "(default: a random salt each run); implies --pseudonymise")
    parser.add_argument("--pseudonym-key", metavar="FILE",
                        help="write the key (name,pseudonym) to FILE, outside the output folder; "
                             "implies --pseudonymise")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    filters = parser.add_argument_group("filters (applied before the analysis; see README \"Filters\")")
    filters.add_argument("--thread", action="append", default=[], metavar="ID",
                         help="keep only this thread (repeat for more; ids as in threads.csv)")
    filters.add_argument("--since", metavar="TIME",
                         help="keep comments written from this ISO 8601 date or time on (UTC unless it names an offset)")
    filters.add_argument("--until", metavar="TIME",
                         help="keep comments written up to this ISO 8601 date (that whole day) or time (UTC unless it "
                              "names an offset)")
    filters.add_argument("--min-comments", type=int, metavar="N", help="keep only threads of at least N comments")
    filters.add_argument("--exclude-author", action="append", default=[], metavar="NAME",
                         help="leave out this author's comments (repeat, or @FILE: one name a line)")
    filters.add_argument("--exclude-bots", action="store_true",
                         help="leave out the source's well-known bot and system accounts (AutoModerator, ...)")


def _filters(args: argparse.Namespace) -> Filters:
    """The filters the command line asks for, errors naming the flag."""
    try:
        return Filters(threads=args.thread, since=args.since, until=args.until, min_comments=args.min_comments,
                       exclude_authors=args.exclude_author, exclude_bots=args.exclude_bots)
    except OptionsError as error:
        raise _named(error) from None


def _named(error: OptionsError) -> OptionsError:
    """``error`` naming the flag the user typed rather than the option's name."""
    flag = _FLAGS.get(error.option, error.option)
    message = str(error).removeprefix(f"{error.option}: ").removeprefix(f"{error.option} ")
    return OptionsError(f"{flag}: {message}", option=error.option)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="discourse", description="Turn comment sections into discourse networks.",
        epilog="Example: discourse analyze thread.txt -o output/thread")
    parser.add_argument("--version", action="version", version=f"discourse {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "analyze", help="analyze comment files and write tables, graphs, images and a report",
        description="Read comment files, build the commenter network, find central commenters and "
                    "subthread topics, and write comments.csv, replies.csv, commenters.csv, subthreads.csv, "
                    "topics.csv, graph.gexf, graph.graphml, network.png, subthreads.png, top_commenters.png, "
                    "report.md and report.html (see README for the full list).",
        epilog="Examples:\n  discourse analyze                 # the sample thread shipped with discourse\n"
               "  discourse analyze page.txt -o output/page\n"
               "  discourse analyze a.txt b.txt --edges reply,mention",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("files", nargs="*", metavar="FILE", help="input files (default: the shipped sample thread)")
    run.add_argument("-o", "--output", metavar="DIR", help="output folder (default: output/<name>)")
    run.add_argument("--name", help="analysis name (default: the first file's name)")
    run.add_argument("--edges", type=_edge_kinds, default=("reply",), metavar="KINDS",
                     help=f"edge kinds the metrics use, comma-separated from {','.join(EDGE_KINDS)} (default: reply;"
                          " post = top-level comments point at the post's author)")
    run.add_argument("--post-author-edges", action="store_true",
                     help="top-level comments point at the post's author; the same as adding post to --edges (default: off)")
    run.add_argument("--topics", type=int, metavar="N", help="number of topic clusters (default: chosen automatically)")
    run.add_argument("--min-branch", type=int, default=2, metavar="N",
                     help="label branches below a top-level comment that hold at least N comments (default: 2)")
    run.add_argument("--seed", type=int, default=0, help="random seed for layout and communities (default: 0)")
    run.add_argument("--labels", metavar="CSV", help="use the labels of an edited labels.csv in every table, image and report")
    run.add_argument("--svg", action="store_true", help="also write every image as SVG")
    run.add_argument("--per-thread", action="store_true",
                     help="write one folder per thread inside the output folder (default: one analysis of all)")
    run.add_argument("--force", action="store_true",
                     help="write into a folder holding files discourse did not write (they are left alone)")
    engine = run.add_argument_group("engine (see README \"Beyond one machine\")")
    engine.add_argument("--engine", choices=["memory", "dask"], default="memory",
                        help="memory: one process holds the corpus (default); dask: partitions of whole threads "
                             "on a Dask cluster, tables as part files, graph measures on this machine")
    engine.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --engine dask: the address of a running Dask scheduler, e.g. tcp://host:8786 "
                             "(default: a local cluster)")
    engine.add_argument("--workers", type=int, metavar="N",
                        help="with --engine dask: worker processes of the local cluster (default: one a core)")
    engine.add_argument("--tables", choices=["parquet", "csv"], default="parquet",
                        help="with --engine dask: write the tables as Parquet or CSV part files (default: parquet)")
    _add_names(run)
    _add_common(run)
    _add_filters(run)

    convert = commands.add_parser(
        "convert", help="convert comment files to a comments table or a ConvoKit corpus",
        description="Read comment files in any supported format and write them as one comments table.",
        epilog="Examples:\n  discourse convert export.xml -o comments.csv\n"
               "  discourse convert dump.ndjson --to convokit -o corpus/",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    convert.add_argument("files", nargs="+", metavar="FILE")
    convert.add_argument("-o", "--output", required=True, metavar="PATH",
                         help="where to write (-: the comments table to standard output)")
    convert.add_argument("--to", choices=["csv", "convokit"], default="csv",
                         help="csv: one comments table; convokit: a ConvoKit corpus folder (default: csv)")
    _add_names(convert)
    convert.add_argument("--force", action="store_true",
                         help="replace an existing file (or write into a folder holding files discourse did not write)")
    _add_common(convert)
    _add_filters(convert)

    aliases = commands.add_parser(
        "aliases", help="list names that may be one person, to review and give back with --alias",
        description="Read comment files and write a CSV of name pairs that may be one person (case, accents, "
                    "punctuation, initials, a name inside another, a shared account), each with a score and "
                    "its evidence, highest score first. Delete the rows that are not one person and pass the "
                    "file to analyze --alias.",
        epilog="Examples:\n  discourse aliases export.xml\n  discourse aliases export.xml -o aliases.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    aliases.add_argument("files", nargs="+", metavar="FILE")
    aliases.add_argument("-o", "--output", metavar="FILE",
                         help="write the CSV to FILE (default, or -: standard output)")
    aliases.add_argument("--force", action="store_true",
                         help="replace FILE if it exists (a reviewed alias file is not replaced without it)")
    _add_common(aliases)

    inspect = commands.add_parser("inspect", help="show how a file reads: format, layout, the first comments",
                                  description="Read one file and show its detected format (and a plain-text "
                                              "copy's layout) and the first comments as read.",
                                  epilog="Example: discourse inspect thread.txt")
    inspect.add_argument("file", metavar="FILE")
    inspect.add_argument("-n", "--first", type=int, default=10, metavar="N", help="comments to list (default: 10)")
    _add_common(inspect)

    formats = commands.add_parser("formats", help="list the input formats discourse reads",
                                  description="List the input formats and how each is recognised.",
                                  epilog="Example: discourse formats")
    formats.add_argument("-q", "--quiet", action="store_true", help=argparse.SUPPRESS)
    formats.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    return parser


def _announced(paths: Iterable[Path | str], advance: Callable[[str], None]) -> Iterator[Path | str]:
    """The paths, naming each on the progress bar as it is read."""
    for path in paths:
        advance(Path(path).name)
        yield path


def _analyze(args: argparse.Namespace, log: logging.Logger) -> None:
    started = datetime.now(timezone.utc)
    try:
        options = Options(edge_kinds=args.edges, post_author_edges=args.post_author_edges, n_topics=args.topics,
                          min_branch_comments=args.min_branch, random_state=args.seed, labels=args.labels)
    except OptionsError as error:  # name the flag the user typed
        raise OptionsError(f"{_FLAGS.get(error.option, error.option)}: {error}", option=error.option) from None
    filters = _filters(args)
    paths = args.files or [SAMPLE]
    name = safe_name(args.name or default_name(paths))
    folder = Path(args.output) if args.output else Path("output") / name
    check_output_folder(folder, inputs=paths, force=args.force)  # before the work, not after it
    if args.engine == "dask" or args.scheduler is not None or args.workers is not None or args.tables != "parquet":
        _analyze_distributed(args, options, filters, paths, name, folder, started, log)
        return
    _check_names(args, folder)
    progress = not args.quiet and sys.stderr.isatty()
    with stages("reading", len(paths), enabled=progress) as advance:
        corpus = read_corpus(_announced(paths, advance), format=args.format, strict=args.strict,
                             columns=args.columns)
    corpus, redact = _names_applied(corpus, args, filters, log)
    if redact is not None:  # the name is in the report's title
        name = safe_name(redact(args.name or default_name(paths)))
    image_format = "svg" if args.svg else "png"
    write_options = dict(force=args.force, inputs=[str(path) for path in paths],
                         command=_command(args.argv, redact), started=started, redact=redact)
    if args.per_thread:
        log.info("%s", write_per_thread(split_threads(corpus), folder, options=options, image_format=image_format,
                                        progress=progress, **write_options))
        return
    analysis = analyze_corpus(corpus, name=name, options=options, progress=progress)
    write_outputs(analysis, folder, image_format=image_format, progress=progress, **write_options)
    real = analysis.comments[~analysis.comments["is_placeholder"]]
    log.info("%d comments by %d commenters -> %s", len(real), real["author"].nunique(), folder)
    if args.topics is not None and len(analysis.topics) < args.topics:
        log.info("note: %d topics were asked for; the subthreads held %d", args.topics, len(analysis.topics))
    for row in analysis.central.head(3).itertuples():
        # names escaped: an author "\x1b[31mAnn" must not colour the terminal
        log.info("  #%d %s: %s", row.rank, clean_name(str(row.author)), clean_name(str(row.why)))


def _not_distributed(args: argparse.Namespace, filters: Filters) -> list[str]:
    """The flags given that ``--engine dask`` does not take yet."""
    asked = {"--per-thread": args.per_thread, "--alias": args.alias, "--pseudonymise": _pseudonymising(args),
             "--labels": args.labels, "--svg": args.svg, "--topics": args.topics is not None,
             "filters (--thread, --since, --until, --min-comments, --exclude-author, --exclude-bots)":
                 bool(filters.describe())}
    return [flag for flag, wanted in asked.items() if wanted]


def _analyze_distributed(args: argparse.Namespace, options: Options, filters: Filters, paths: list, name: str,
                         folder: Path, started: datetime, log: logging.Logger) -> None:
    """``analyze --engine dask``: :func:`discourse.engines.analyze_distributed`."""
    if args.engine != "dask":
        flag = "--scheduler" if args.scheduler is not None else "--workers" if args.workers is not None else "--tables"
        raise OptionsError(f"{flag} applies to --engine dask; add --engine dask", option="engine")
    if args.workers is not None and args.workers < 1:
        raise OptionsError(f"--workers must be an integer >= 1; got {args.workers}", option="workers")
    if args.workers is not None and args.scheduler is not None:
        raise OptionsError("--workers sizes a local cluster; a cluster at --scheduler has its own workers",
                           option="workers")
    refused = _not_distributed(args, filters)
    if refused:
        raise OptionsError(f"--engine dask does not take {', '.join(refused)} yet; run without --engine dask",
                           option="engine")
    from .engines import analyze_distributed  # Dask is imported only when asked for

    run = analyze_distributed(paths, folder, options=options, name=name, scheduler=args.scheduler,
                              workers=args.workers, table_format=args.tables, format=args.format,
                              columns=args.columns, strict=args.strict, force=args.force,
                              command=_command(args.argv, None), started=started,
                              log=log.info)
    log.info("%d comments by %d commenters in %d partitions -> %s", run.counts["written"],
             int((run.commenters["comments"] > 0).sum()), run.partitions, folder)


def _pseudonymising(args: argparse.Namespace) -> bool:
    return bool(args.pseudonymise or args.salt is not None or args.pseudonym_key)


def _check_names(args: argparse.Namespace, folder: Path | None) -> None:
    """Before the work: the alias file reads, the key may be written where asked."""
    if args.alias:
        read_aliases(args.alias)
    if args.pseudonym_key:
        check_key_path(args.pseudonym_key, folder)


def _names_applied(corpus: Corpus, args: argparse.Namespace, filters: Filters,
                   log: logging.Logger) -> tuple[Corpus, Callable[[str], str] | None]:
    """The corpus with ``--alias`` merged, filtered (names as merged, as commenters.csv shows them)
    and, with ``--pseudonymise``, pseudonymised (the key written if asked; excluded authors'
    names withheld from the filters' description); and the text mask of the pseudonyms (None without)."""
    if args.alias:
        corpus = merge_aliases(corpus, args.alias)
    # Left-out authors may still be named in the comments kept: their names are masked too.
    authors_before = corpus.comments["author"].dropna().unique().tolist()
    corpus = _filtered(corpus, filters, log)
    if not _pseudonymising(args):
        return corpus, None
    corpus, pseudonyms = pseudonymise(corpus, salt=args.salt, other_names=authors_before)
    if corpus.filters is not None and corpus.filters.exclude_authors:
        withheld = tuple(f"[excluded author {n}]" for n in range(1, len(corpus.filters.exclude_authors) + 1))
        corpus = dataclasses.replace(corpus, filters=dataclasses.replace(corpus.filters, exclude_authors=withheld))
    if args.pseudonym_key:
        write_key(pseudonyms, args.pseudonym_key)
    return corpus, pseudonyms.text


def _command(argv: list[str], redact: Callable[[str], str] | None) -> list[str]:
    """The command line for run.json; pseudonymised: the salt left out, names and paths masked."""
    if redact is None:
        return ["discourse", *argv]
    out, hide = [], None
    for part in argv:
        if hide:
            out.append(hide)
        elif part.startswith("--salt="):
            out.append("--salt=[salt]")
        elif part.startswith("--exclude-author="):
            out.append("--exclude-author=[excluded author]")
        else:
            out.append(redact(part))
        hide = {"--salt": "[salt]", "--exclude-author": "[excluded author]"}.get(part)
    return ["discourse", *out]




def _filtered(corpus: Corpus, filters: Filters, log: logging.Logger) -> Corpus:
    """The corpus filtered, saying how many comments the filters left out (errors naming the flag)."""
    try:
        corpus = filter_corpus(corpus, filters)
    except OptionsError as error:
        raise _named(error) from None
    if len(corpus.filtered):
        log.info("filters (%s) left out %d comments", " ".join(filters.describe()), len(corpus.filtered))
    return corpus


def _convert(args: argparse.Namespace, log: logging.Logger) -> None:
    filters = _filters(args)
    to_stdout = args.output == "-"
    if to_stdout and args.to == "convokit":
        raise OptionsError("-o -: a ConvoKit corpus is a folder of files; standard output takes only --to csv",
                           option="output")
    _check_names(args, None if to_stdout else Path(args.output))  # the key never where the output goes
    # -o follows the output folder's rules: never an input, the working folder or a folder above
    # an input; a user's file is replaced only with --force; written to a temporary, then renamed.
    if not to_stdout:
        check = check_corpus_folder if args.to == "convokit" else check_output_file
        check(args.output, inputs=args.files, force=args.force)  # before the reading, not after it
    corpus = read_corpus(args.files, format=args.format, strict=args.strict, columns=args.columns)
    corpus, _ = _names_applied(corpus, args, filters, log)
    if args.to == "convokit":
        with replacing_corpus_folder(args.output, inputs=args.files, force=args.force) as staging:
            write_convokit(corpus, staging)
    elif to_stdout:
        sys.stdout.flush()
        write_csv(corpus.comments, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        with replacing_file(args.output, inputs=args.files, force=args.force) as temporary:
            write_csv(corpus.comments, temporary)
    counts = tally(corpus)
    log.info("%d rows -> %s (read %d records: %d comments written, %d skipped, %d filtered out)", len(corpus.comments),
             "standard output" if to_stdout else args.output, counts.read, counts.written, counts.skipped,
             counts.filtered)


def _aliases(args: argparse.Namespace, log: logging.Logger) -> None:
    to_file = args.output not in (None, "-")
    if to_file:  # convert's rules: never an input, a user's file replaced only with --force
        check_output_file(args.output, inputs=args.files, force=args.force)
    table = find_aliases(read_corpus(args.files, format=args.format, strict=args.strict, columns=args.columns))
    if to_file:
        with replacing_file(args.output, inputs=args.files, force=args.force) as temporary:
            write_csv(table, temporary)
        log.info("%d name pairs to review -> %s", len(table), args.output)
    else:
        sys.stdout.write(table.to_csv(index=False, lineterminator="\n"))


def _inspect(args: argparse.Namespace, log: logging.Logger) -> None:
    from .readers.inspection import inspect_file
    print(inspect_file(args.file, format=args.format, first=args.first, columns=args.columns))


def _formats(args: argparse.Namespace, log: logging.Logger) -> None:
    for name, reader in READERS.items():
        print(f"{name:16} {reader.description}")


class Terminated(BaseException):
    """SIGTERM (what ``timeout``, systemd and Slurm send), raised so that cleanup runs as for Ctrl-C."""


@contextmanager
def _terminated_as_exception() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` in the main thread for the block (the default would end
    the process at once, leaving the staging folder and the worker processes behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(number: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: the cleanup runs to its end
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    args.argv = argv
    logging.basicConfig(format="%(message)s", stream=sys.stderr,
                        level=logging.DEBUG if args.verbose else logging.ERROR if args.quiet else logging.INFO)
    logging.captureWarnings(True)
    log = logging.getLogger("discourse")
    command = {"analyze": _analyze, "convert": _convert, "aliases": _aliases, "inspect": _inspect,
               "formats": _formats}[args.command]
    try:
        with warnings.catch_warnings(), _terminated_as_exception():
            warnings.simplefilter("default")
            command(args, log)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("error: terminated", file=sys.stderr)
        return 143
    except DiscourseError as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the system's words, as one sentence naming the path
        if args.verbose:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{os_reason(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug, not bad input: still one line, with the way to see more
        if args.verbose:
            traceback.print_exc()
        print(f"error: internal error ({type(exc).__name__}: {exc}); rerun with --verbose and report it",
              file=sys.stderr)
        return 2
    return 0
