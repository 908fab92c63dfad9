"""``analyze``: the whole job, from input files to an :class:`Analysis` (no files written)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from numbers import Integral
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from ._runtime.worker import Worker
from .exceptions import OptionsError
from .topics.topic_map import TopicMap, commenter_topic_map, main_topics
from ._runtime.collector import collector_paused
from .model.corpus import Corpus
from .model.filters import Filters, filter_corpus
from .network.graph import EDGE_KINDS, aggregate_edges, build_graph, edge_records
from .drawing.layout import commenter_layout
from .measures.commenters import commenter_metrics, commenter_topic_measures
from .measures.groups import community_topics, group_metrics
from .measures.ranking import central_commenters
from ._runtime.progress import StageBar
from ._runtime.stages import StageHook, combined, reported, stage_reporter
from .measures.stability import top_stability
from .measures.whole_graph import graph_statistics
from .readers import read_corpus
from .network.timeline import Timeline, first_times
from .model.tree import branch_ids
from .model.view import comment_view
from .topics.find import Topics, find_topics
from .topics.edited import apply_labels, read_labels

if TYPE_CHECKING:
    from .output.notebook import InlineNetwork

__all__ = ["ALONGSIDE_FROM", "ANALYSIS_STAGES", "Analysis", "Options", "SAMPLE", "analyze", "analyze_corpus",
           "default_name"]

SAMPLE = Path(__file__).parent / "data" / "sample_thread.txt"

#: The largest ``random_state`` + 1: numpy's legacy seeding (used by the topic sampling) takes 32 bits.
_SEEDS = 2**32


@dataclass(frozen=True)
class Options:
    """Analysis choices, with the defaults documented in README's "Options" section.

    Checked on construction: a value the analysis cannot take raises
    :class:`~discourse.exceptions.OptionsError` naming the option, what it accepts and what it got.

    Parameters
    ----------
    edge_kinds : str or sequence of str, default ("reply",)
        The edge kinds that make the graph the metrics use, from
        :data:`discourse.network.graph.EDGE_KINDS`; kept as a tuple.
    post_author_edges : bool, default False
        Top-level comments point at the post's author; True adds ``"post"`` to ``edge_kinds``, and
        ``"post"`` in ``edge_kinds`` sets it.
    n_topics : int >= 2 or None, default None
        The number of topic clusters; None chooses it (as many as the subthreads' subjects).  A
        thread with fewer subthreads has fewer: :attr:`Analysis.n_topics_capped` says so.
    min_branch_comments : int >= 1, default 2
        Branches below a top-level comment with at least this many comments get labels of their own.
    random_state : int, default 0
        Seed for communities, sampling and layout, from 0 to 2**32 - 1.
    labels : str or path, optional
        An edited ``labels.csv`` (:mod:`discourse.topics.edited`): its labels replace those found,
        in every table, image and report.

    Examples
    --------
    >>> Options(edge_kinds=["reply", "mention"], n_topics=4).edge_kinds
    ('reply', 'mention')
    >>> Options(n_topics=0)
    Traceback (most recent call last):
    ...
    discourse.exceptions.OptionsError: n_topics must be an integer >= 2 or None; got 0
    """

    edge_kinds: tuple[str, ...] = ("reply",)
    post_author_edges: bool = False
    n_topics: int | None = None
    min_branch_comments: int = 2
    random_state: int = 0
    labels: str | PathLike | None = field(default=None, repr=False)  # a path: repr stays one line

    def __post_init__(self) -> None:
        if self.labels is not None and not isinstance(self.labels, (str, PathLike)):
            raise OptionsError(f"labels must be the path of an edited labels.csv or None; got {self.labels!r}",
                               option="labels")
        kinds = _edge_kinds(self.edge_kinds)
        if not isinstance(self.post_author_edges, (bool, np.bool_)):
            raise OptionsError(f"post_author_edges must be True or False; got {self.post_author_edges!r}",
                               option="post_author_edges")
        n_topics = None if self.n_topics is None else _integer(
            "n_topics", self.n_topics, 2, "an integer >= 2 or None")
        # One choice, two spellings: asking for post-author edges puts them in the graph, and the
        # "post" kind cannot be drawn without making them.
        post_author = bool(self.post_author_edges) or "post" in kinds
        if post_author and "post" not in kinds:
            kinds += ("post",)
        min_branch = _integer("min_branch_comments", self.min_branch_comments, 1, "an integer >= 1")
        seed = _integer("random_state", self.random_state, 0, "a non-negative integer below 2**32", below=_SEEDS)
        for name, value in (("edge_kinds", kinds), ("post_author_edges", post_author),
                            ("n_topics", n_topics), ("min_branch_comments", min_branch),
                            ("random_state", seed)):
            object.__setattr__(self, name, value)  # frozen: the checked values, as plain Python types


def _edge_kinds(value: Any) -> tuple[str, ...]:
    """``value`` as a tuple of edge kinds, or OptionsError listing the valid ones."""
    kinds = (value,) if isinstance(value, str) else value
    try:
        kinds = tuple(kinds)
    except TypeError:
        kinds = None
    if not kinds or not all(isinstance(kind, str) and kind in EDGE_KINDS for kind in kinds):
        raise OptionsError(f"edge_kinds must be a non-empty selection of {', '.join(EDGE_KINDS)}; got {value!r}",
                           option="edge_kinds")
    return tuple(dict.fromkeys(kinds))


def _integer(name: str, value: Any, low: int, expected: str, below: int | None = None) -> int:
    """``value`` as an int from ``low`` (and under ``below``), or OptionsError saying ``expected``."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < low or (
            below is not None and value >= below):
        raise OptionsError(f"{name} must be {expected}; got {value!r}", option=name)
    return int(value)


@dataclass(frozen=True, repr=False)
class Analysis:
    """Everything :func:`analyze` finds: plain tables and one DiGraph; :func:`write_outputs` writes them out.

    Attributes
    ----------
    name : str
        The analysis's name (the input file's stem by default).
    corpus : Corpus
        The comments as read.
    comments : pandas.DataFrame
        The comments table plus ``topic_id`` and ``topic_label`` (comments.csv).
    edges : pandas.DataFrame
        Every commenter edge, all kinds (replies.csv).
    graph : networkx.DiGraph
        Commenters, edges of the chosen kinds (A -> B: A replied to B), metrics as node attributes.
    commenters : pandas.DataFrame
        One row per commenter (commenters.csv).
    subthreads : pandas.DataFrame
        One row per subthread and labelled branch (subthreads.csv).
    threads : pandas.DataFrame
        One row per thread (threads.csv).
    topics : pandas.DataFrame
        One row per topic cluster (topics.csv).
    central : pandas.DataFrame
        The ranked central commenters with the reason (central_commenters.csv).
    stability : pandas.DataFrame
        The top 5 with each subthread left out (top5_stability.csv).
    layout : dict
        Node -> (x, y) of the network drawing.
    options : Options
        The choices it was made with.
    topic_map : TopicMap or None
        The commenter x topic graph (who talks about what) and its layout.
    timeline : Timeline or None
        First-appearance times of commenters and links; None without times.
    n_topics_capped : int or None
        The number of topics found when ``options.n_topics`` asked for more than the subthreads
        allow; None when it was not capped (or not given).
    statistics : pandas.DataFrame or None
        One row of whole-graph statistics (graph.csv, :mod:`discourse.measures.whole_graph`).
    communities : pandas.DataFrame or None
        One row per commenter community, described by its members' topics (communities.csv,
        :func:`discourse.measures.groups.community_topics`).

    Examples
    --------
    >>> analysis = analyze()                      # the shipped sample thread
    >>> analysis.graph.number_of_nodes(), len(analysis.topics) > 1
    (18, True)
    >>> analyze(options=Options(n_topics=100)).n_topics_capped
    9
    """

    name: str
    corpus: Corpus
    comments: pd.DataFrame
    edges: pd.DataFrame
    graph: nx.DiGraph
    commenters: pd.DataFrame
    subthreads: pd.DataFrame
    threads: pd.DataFrame
    topics: pd.DataFrame
    central: pd.DataFrame
    stability: pd.DataFrame
    layout: dict
    options: Options = field(default_factory=Options)
    topic_map: TopicMap | None = None
    timeline: Timeline | None = None
    n_topics_capped: int | None = None
    statistics: pd.DataFrame | None = None
    communities: pd.DataFrame | None = None

    def __repr__(self) -> str:
        real = self.comments[~self.comments["is_placeholder"]] if "is_placeholder" in self.comments else self.comments
        placeholders = len(self.comments) - len(real)
        lines = [f"Analysis {self.name!r}: {len(real):,} comments"
                 + (f" (+{_count(placeholders, 'placeholder')})" if placeholders else "")
                 + f" in {_count(len(self.threads), 'thread')}, {_count(len(self.commenters), 'commenter')}, "
                   f"{_count(self.graph.number_of_edges(), 'link')}, {_count(len(self.subthreads), 'subthread row')}, "
                   f"{_count(len(self.topics), 'topic')}"]
        if len(self.central):
            ranked = [_short(author, 30) for author in self.central["author"].head(5)]
            lines.append(f"  most central: {', '.join(ranked)}" + (" ..." if len(self.central) > 5 else ""))
        if len(self.topics) and "label" in self.topics:
            shown = len(self.topics) if len(self.topics) <= 10 else 8
            lines += [f"  topic {row.topic_id}: {_short(row.label, 70)}" for row in self.topics.head(shown).itertuples()]
            if shown < len(self.topics):
                lines.append(f"  ... and {len(self.topics) - shown} more topics")
        if self.n_topics_capped is not None:
            lines.append(f"  n_topics={self.options.n_topics} capped at {self.n_topics_capped}: "
                         "the subthreads allow no more")
        lines.append(f"  {self.options!r}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Jupyter's view: headline counts, the top commenters and why, the largest subthreads' labels."""
        from .output.notebook import analysis_html

        return analysis_html(self)

    def show_network(self, *, height: int = 640) -> InlineNetwork:
        """network.html inline in Jupyter (a sandboxed frame holding the page; nothing written or fetched)."""
        from .output.network_html import render_network_html
        from .output.notebook import InlineNetwork

        return InlineNetwork(render_network_html(self), height=height)


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}" + ("" if n == 1 else "s")


def _short(text: Any, width: int) -> str:
    """``text`` on one line of at most ``width`` characters (an ellipsis where it was cut)."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _subthread_table(comments: pd.DataFrame, structure: pd.DataFrame, topics: Topics,
                     branch_of: Any) -> pd.DataFrame:
    """subthreads.csv: structure per subthread joined with topic labels; branch rows after their parent.
    ``branch_of``: :func:`discourse.model.tree.branch_ids` of the comments."""
    labels = topics.subthreads
    level1 = structure.merge(labels[labels["level"] == 1].drop(columns=["thread_id"]), on="subthread_id", how="left")
    branches = labels[labels["level"] == 2]
    if branches.empty:
        return level1
    real = comments[~comments["is_placeholder"]].assign(branch_id=branch_of)
    sizes = real.groupby("branch_id").agg(comments=("comment_id", "size"), participants=("author", "nunique"))
    root_author = comments.set_index("comment_id")["author"]
    branch_table = branches.drop(columns=["thread_id"]).assign(
        thread_id=branches["thread_id"].to_numpy(), root_comment_id=branches["subthread_id"].to_numpy(),
        root_author=branches["subthread_id"].map(root_author).to_numpy(),
        comments=branches["subthread_id"].map(sizes["comments"]).fillna(0).astype(int).to_numpy(),
        participants=branches["subthread_id"].map(sizes["participants"]).fillna(0).astype(int).to_numpy())
    # Each branch row follows its top-level row: sort by the parent's position, level-1 row first.
    position = pd.Series(range(len(level1)), index=level1["subthread_id"])
    table = pd.concat([level1.assign(_at=range(len(level1)), _level=0),
                       branch_table.assign(_at=branch_table["parent_subthread_id"].map(position).to_numpy(), _level=1)],
                      ignore_index=True)
    table = table.sort_values(["_at", "_level"], kind="stable").drop(columns=["_at", "_level"])
    return table[list(dict.fromkeys([*level1.columns, *branch_table.columns]))].reset_index(drop=True)


#: From this many comments, topics are found in a worker process alongside the graph work.
ALONGSIDE_FROM = 50_000

#: The stages ``analyze_corpus`` reports to ``on_stage``, in order (``find_topics`` runs inside
#: ``topics``, or in the worker process from :data:`ALONGSIDE_FROM` comments, and is not listed).
#: Expensive steps inside them (``pagerank``, ``communities``, ...) are reported as stages nested in theirs.
ANALYSIS_STAGES = ("comment_view", "edge_records", "aggregate_edges", "build_graph", "commenter_metrics",
                   "node_attributes",
                   "group_metrics", "top_stability", "commenter_layout", "first_times", "branch_ids", "graph_statistics",
                   "topics", "commenter_topic_measures", "main_topics", "community_topics", "subthread_table",
                   "central_commenters", "commenter_topic_map")


@collector_paused
def analyze_corpus(corpus: Corpus, *, name: str = "analysis", options: Options | None = None,
                   progress: bool = False, on_stage: StageHook | None = None,
                   alongside_from: int | None = ALONGSIDE_FROM) -> Analysis:
    """Analyse comments already read into a :class:`Corpus`: edges, graph, measures, topics.

    From ``alongside_from`` comments the topics are found in a worker process while this one
    builds and measures the graph (:mod:`discourse._runtime.worker`, Linux only); the results are
    the same either way.  Nothing is written: :func:`~discourse.write_outputs` does that.

    Parameters
    ----------
    corpus : Corpus
        Comments as :func:`~discourse.read_corpus` returns them.
    name : str, default "analysis"
        The analysis's name, used in titles and the report.
    options : Options, optional
        Analysis choices; the defaults when None.
    progress : bool, default False
        Show a progress bar on standard error for runs longer than a couple of seconds.
    on_stage : callable, optional
        ``on_stage(stage, event)``, called with ``event`` "start" and "end" around each of
        :data:`ANALYSIS_STAGES`, and around ``find_topics`` (inside ``topics``, or in the worker
        process: see :mod:`discourse._runtime.stages`); stages report the expensive steps inside
        them (``pagerank``, ``communities``, ...) as stages nested in theirs.
    alongside_from : int or None, default :data:`ALONGSIDE_FROM`
        From this many comments (placeholders included) the topics are found in a worker
        process; None finds them in this process whatever the size (one core, every stage in turn).

    Returns
    -------
    Analysis
        The tables, the graph and the layout.

    Examples
    --------
    >>> from discourse import SAMPLE, read_corpus
    >>> seen = []
    >>> analysis = analyze_corpus(read_corpus(SAMPLE), name="sample",
    ...                           on_stage=lambda stage, event: seen.append(stage))
    >>> analysis.name, seen[:3]
    ('sample', ['comment_view', 'comment_view', 'edge_records'])
    """
    options = options or Options()
    comments = corpus.comments
    with StageBar(f"analyzing {name}", ANALYSIS_STAGES, enabled=progress) as bar:
        hook = combined(bar, on_stage)
        stage = stage_reporter(hook)
        with stage("comment_view"):
            view = comment_view(comments)  # every stage reads this one integer view of the comments
        with Worker(reported(find_topics, "find_topics", hook), comments, n_topics=options.n_topics,
                    min_branch_comments=options.min_branch_comments, random_state=options.random_state,
                    check_input=False,  # read_corpus validated them
                    view=view, enabled=alongside_from is not None and len(comments) >= alongside_from) as topic_worker:
            with stage("edge_records"):
                records = edge_records(comments, post_author_edges=options.post_author_edges, threads=corpus.threads,
                                       view=view, report=stage, aliases=corpus.aliases)
            with stage("aggregate_edges"):
                edges = aggregate_edges(records, view)
            with stage("build_graph"):
                # Self-replies are no links: kept out of the graph (and graph.gexf/graphml) as out of
                # every measure; replies.csv lists them and commenters.csv counts them (self_replies).
                graph = build_graph(comments, edges, edge_kinds=options.edge_kinds, include_self_loops=False)
            with stage("commenter_metrics"):
                # the topic measures wait for the topics (commenter_topic_measures below)
                commenters = commenter_metrics(graph, comments, random_state=options.random_state, view=view,
                                               topics=False, report=stage)
            with stage("node_attributes"):
                _set_node_attributes(graph, commenters)  # thread modularity reads the communities
            with stage("group_metrics"):
                structure, threads = group_metrics(comments, graph, view=view, records=records)
            with stage("top_stability"):
                stability = top_stability(comments, edge_kinds=options.edge_kinds,
                                          post_author_edges=options.post_author_edges,
                                          random_state=options.random_state, metrics=commenters,
                                          threads=corpus.threads, records=records, view=view, report=stage)
            with stage("commenter_layout"):
                layout = commenter_layout(graph, seed=options.random_state)
            with stage("first_times"):
                timeline = first_times(comments, graph, records)
            with stage("branch_ids"):
                branch_of = branch_ids(comments, view)
            with stage("graph_statistics"):  # needs no topics: done while the worker still finds them
                statistics = graph_statistics(graph, self_replies=int(commenters["self_replies"].sum()),
                                              random_state=options.random_state)
            with stage("topics"):
                topics = topic_worker.result()
                if options.labels is not None:
                    topics = apply_labels(topics, read_labels(options.labels))
        comments = comments.merge(topics.comments, on="comment_id", how="left", validate="one_to_one")
        with stage("commenter_topic_measures"):
            topic_measures = commenter_topic_measures(graph, comments, view=view)
            commenters = commenters.assign(**{c: topic_measures[c].to_numpy() for c in topic_measures})
        with stage("main_topics"):
            main = main_topics(comments, topics.topics).astype({"main_topic": "Int64"})
            commenters = commenters.merge(main, on="author", how="left", validate="one_to_one")
            _set_node_attributes(graph, commenters[["author", *topic_measures.columns, *main.columns.drop("author")]])
        with stage("community_topics"):
            communities = community_topics(comments, commenters, topics.topics)
        threads = threads.merge(corpus.threads.drop(columns=[c for c in ("source_path",) if c in corpus.threads]),
                                on="thread_id", how="left").merge(topics.threads, on="thread_id", how="left")
        with stage("subthread_table"):
            subthreads = _subthread_table(comments, structure, topics, branch_of)
        with stage("central_commenters"):
            central = central_commenters(commenters, comments)
        with stage("commenter_topic_map"):
            topic_map = commenter_topic_map(comments, commenters, topics.topics, seed=options.random_state)
    found = len(topics.topics)
    capped = found if options.n_topics is not None and found < options.n_topics else None
    return Analysis(name=name, corpus=corpus, comments=comments, edges=edges, graph=graph, commenters=commenters,
                    subthreads=subthreads, threads=threads, topics=topics.topics, central=central,
                    stability=stability, layout=layout, options=options, topic_map=topic_map, timeline=timeline,
                    n_topics_capped=capped, statistics=statistics, communities=communities)


def _set_node_attributes(graph: nx.DiGraph, table: pd.DataFrame) -> None:
    """Each row's columns as attributes of the node named in its ``author`` (as
    ``nx.set_node_attributes`` column by column, in one pass over the nodes)."""
    names = list(table.columns.drop("author"))
    columns = [list(table[name]) for name in names]  # iterating a column gives what set_node_attributes got
    nodes = graph.nodes
    for author, *values in zip(table["author"], *columns):
        if author in nodes:
            nodes[author].update(zip(names, values))


def analyze(paths: str | PathLike | Iterable[str | PathLike] | None = None, *, format: str | None = None,
            name: str | None = None, options: Options | None = None, columns: dict[str, str] | None = None,
            filters: Filters | None = None) -> Analysis:
    """Read ``paths`` and analyse them: :func:`~discourse.read_corpus` then :func:`analyze_corpus`.

    Parameters
    ----------
    paths : path or iterable of paths, optional
        Input files (one analysis of all of them); the shipped sample thread when None.
    format : str, optional
        A name from :data:`discourse.READERS`; detected from each file's content when None.
    name : str, optional
        The analysis's name; by default the file's stem, or the first one's and how many more.
    options : Options, optional
        Analysis choices; the defaults when None.
    columns : dict, optional
        A CSV or JSON Lines table's column mapping (see :func:`~discourse.read_corpus`).
    filters : Filters, optional
        Comments to leave out before the analysis (:func:`~discourse.filter_corpus`).

    Returns
    -------
    Analysis
        The tables, the graph and the layout; no files are written.

    Examples
    --------
    >>> analysis = analyze()                      # the shipped sample thread
    >>> analysis.name, analysis.commenters.shape[0]
    ('sample_thread', 18)
    >>> analysis = analyze("thread.txt", options=Options(edge_kinds=("reply", "mention")))  # doctest: +SKIP
    """
    paths = [SAMPLE] if not paths else [Path(p) for p in ([paths] if isinstance(paths, (str, PathLike)) else paths)]
    corpus = filter_corpus(read_corpus(paths, format=format, columns=columns), filters)
    return analyze_corpus(corpus, name=name or default_name(paths), options=options)


def default_name(paths: Iterable[str | PathLike]) -> str:
    """An analysis is named after its input: the file's stem, or the first one's and how many more."""
    paths = [Path(p) for p in paths]
    return paths[0].stem if len(paths) == 1 else f"{paths[0].stem}-and-{len(paths) - 1}-more"
