"""``analyze``: the whole job, from input files to an :class:`Analysis` (no files written)."""

from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pandas as pd

from ._runtime.worker import Worker
from .topics.topic_map import TopicMap, commenter_topic_map, main_topics
from ._runtime.collector import collector_paused
from .model.corpus import Corpus
from .network.graph import aggregate_edges, build_graph, edge_records
from .drawing.layout import commenter_layout
from .measures.commenters import central_commenters, commenter_metrics, group_metrics, topics_per_commenter
from ._runtime.progress import StageBar
from ._runtime.stages import combined, reported, stage_reporter
from .measures.stability import top_stability
from .readers import read_corpus
from .network.timeline import Timeline, first_times
from .model.tree import branch_ids
from .topics.find import find_topics

SAMPLE = Path(__file__).parent / "data" / "sample_thread.txt"


@dataclass(frozen=True)
class Options:
    """Analysis choices, with the defaults documented in README's "Options" section."""

    edge_kinds: tuple = ("reply",)   # which edge kinds make the graph the metrics use
    post_author_edges: bool = False  # top-level comments point at the post's author
    n_topics: int | None = None      # None: chosen automatically
    min_branch_comments: int = 2     # branches below a top-level comment this big get labels
    random_state: int = 0


@dataclass(frozen=True)
class Analysis:
    """Everything ``analyze`` finds.  Plain tables and one DiGraph; export writes them out."""

    name: str
    corpus: Corpus
    comments: pd.DataFrame     # the comments table plus topic columns
    edges: pd.DataFrame        # every commenter edge, all kinds (replies.csv)
    graph: nx.DiGraph          # commenters, edges of the chosen kinds, metrics as node attributes
    commenters: pd.DataFrame   # one row per commenter
    subthreads: pd.DataFrame   # one row per subthread and labelled branch
    threads: pd.DataFrame      # one row per thread
    topics: pd.DataFrame       # one row per topic cluster
    central: pd.DataFrame      # ranked central commenters with the reason
    stability: pd.DataFrame    # the top 5 with each subthread left out
    layout: dict               # node -> (x, y)
    options: Options = field(default_factory=Options)
    topic_map: TopicMap | None = None   # commenter x topic graph (who talks about what) and its layout
    timeline: Timeline | None = None    # first-appearance times of commenters and links; None without times


def _subthread_table(comments, structure, topics, branch_of):
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
ANALYSIS_STAGES = ("edge_records", "aggregate_edges", "build_graph", "commenter_metrics", "node_attributes",
                   "group_metrics", "top_stability", "commenter_layout", "first_times", "branch_ids", "topics",
                   "topics_per_commenter", "main_topics", "subthread_table", "central_commenters",
                   "commenter_topic_map")


@collector_paused
def analyze_corpus(corpus, *, name="analysis", options=None, progress=False, on_stage=None):
    """Analyse comments already read into a :class:`Corpus`.

    ``progress`` shows a bar on standard error for runs longer than a couple of seconds.  From
    ``ALONGSIDE_FROM`` comments the topics are found in a worker process while this one builds
    and measures the graph (:mod:`discourse._runtime.worker`); the results are the same either way.
    ``on_stage(stage, event)`` is called as each of :data:`ANALYSIS_STAGES` starts and ends
    (see :mod:`discourse._runtime.stages`).
    """
    options = options or Options()
    comments = corpus.comments
    with StageBar(f"analyzing {name}", ANALYSIS_STAGES, enabled=progress) as bar:
        hook = combined(bar, on_stage)
        stage = stage_reporter(hook)
        with Worker(reported(find_topics, "find_topics", hook), comments, n_topics=options.n_topics,
                    min_branch_comments=options.min_branch_comments, random_state=options.random_state,
                    check_input=False,  # read_corpus validated them
                    enabled=len(comments) >= ALONGSIDE_FROM) as topic_worker:
            with stage("edge_records"):
                records = edge_records(comments, post_author_edges=options.post_author_edges, threads=corpus.threads)
            with stage("aggregate_edges"):
                edges = aggregate_edges(records)
            with stage("build_graph"):
                graph = build_graph(comments, edges, edge_kinds=options.edge_kinds)
            with stage("commenter_metrics"):
                commenters = commenter_metrics(graph, comments, random_state=options.random_state)
            with stage("node_attributes"):
                _set_node_attributes(graph, commenters)  # thread modularity reads the communities
            with stage("group_metrics"):
                structure, threads = group_metrics(comments, graph)
            with stage("top_stability"):
                stability = top_stability(comments, edge_kinds=options.edge_kinds,
                                          post_author_edges=options.post_author_edges,
                                          random_state=options.random_state, metrics=commenters,
                                          threads=corpus.threads, records=records)
            with stage("commenter_layout"):
                layout = commenter_layout(graph, seed=options.random_state)
            with stage("first_times"):
                timeline = first_times(comments, graph)
            with stage("branch_ids"):
                branch_of = branch_ids(comments)
            with stage("topics"):
                topics = topic_worker.result()
        comments = comments.merge(topics.comments, on="comment_id", how="left", validate="one_to_one")
        with stage("topics_per_commenter"):
            commenters = commenters.assign(topics=topics_per_commenter(comments, commenters["author"]))
        with stage("main_topics"):
            main = main_topics(comments, topics.topics).astype({"main_topic": "Int64"})
            commenters = commenters.merge(main, on="author", how="left", validate="one_to_one")
            _set_node_attributes(graph, commenters[["author", "topics", *main.columns.drop("author")]])
        threads = threads.merge(corpus.threads.drop(columns=[c for c in ("source_path",) if c in corpus.threads]),
                                on="thread_id", how="left").merge(topics.threads, on="thread_id", how="left")
        with stage("subthread_table"):
            subthreads = _subthread_table(comments, structure, topics, branch_of)
        with stage("central_commenters"):
            central = central_commenters(commenters, comments)
        with stage("commenter_topic_map"):
            topic_map = commenter_topic_map(comments, commenters, topics.topics, seed=options.random_state)
    return Analysis(name=name, corpus=corpus, comments=comments, edges=edges, graph=graph, commenters=commenters,
                    subthreads=subthreads, threads=threads, topics=topics.topics, central=central,
                    stability=stability, layout=layout, options=options, topic_map=topic_map, timeline=timeline)


def _set_node_attributes(graph, table):
    """Each row's columns as attributes of the node named in its ``author`` (as
    ``nx.set_node_attributes`` column by column, in one pass over the nodes)."""
    names = list(table.columns.drop("author"))
    columns = [list(table[name]) for name in names]  # iterating a column gives what set_node_attributes got
    nodes = graph.nodes
    for author, *values in zip(table["author"], *columns):
        if author in nodes:
            nodes[author].update(zip(names, values))


def analyze(paths=None, *, format=None, name=None, options=None):
    """Read ``paths`` (the shipped sample thread when None) and analyse them."""
    paths = [SAMPLE] if not paths else [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    corpus = read_corpus(paths, format=format)
    return analyze_corpus(corpus, name=name or default_name(paths), options=options)


def default_name(paths):
    """An analysis is named after its input: the file's stem, or the first one's and how many more."""
    paths = [Path(p) for p in paths]
    return paths[0].stem if len(paths) == 1 else f"{paths[0].stem}-and-{len(paths) - 1}-more"
