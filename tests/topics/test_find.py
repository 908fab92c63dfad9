"""Topic clusters and labels: measured on an invented corpus with known subjects, and on the seed."""

import json


import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
from scipy import sparse
from scipy.cluster.hierarchy import fcluster
from sklearn.metrics import normalized_mutual_info_score
from sklearn.preprocessing import normalize

from discourse.topics import clustering, labeller
from discourse.topics import phrases as labels
from reference import phrases as reference_phrases
from discourse.topics import find as topics
from discourse.readers import read_corpus
from discourse.model.tree import complete_tree
from discourse.exceptions import SchemaError
from discourse.model.schema import validate_comments
from discourse.topics.find import find_topics
from shared_data import FIXTURES, SEED

FIXTURE = FIXTURES / "topics" / "corpus.json"
ONE_SUBJECT = FIXTURES / "topics" / "one_subject.json"

# Words that name each subject; a topic's label must use one of its subject's.
SUBJECT_WORDS = {
    "beekeeping": {"hive", "bee", "bees", "honey", "frames", "colony", "queen", "swarm", "brood", "varroa"},
    "sourdough": {"sourdough", "bread", "flour", "starter", "dough", "loaves", "crumb", "hydration"},
    "tax": {"tax", "deduction", "irs", "return", "income", "refund", "filing", "extension"},
    "chess": {"pawn", "gambit", "opening", "bishop", "chess", "caro-kann", "sicilian", "structure"},
    "marathon": {"marathon", "run", "race", "pace", "mileage", "training", "miles"},
}


def invented(path=FIXTURE):
    """An invented corpus as a comments table, the subject of each subthread, and the planted drift."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows, subject, drift = [], {}, set()

    def walk(comment, parent, thread):
        rows.append({"comment_id": comment["id"], "parent_id": parent, "thread_id": thread,
                     "author": comment["author"], "text": comment["text"]})
        if comment.get("drift"):
            drift.add(comment["id"])
        for reply in comment.get("replies", []):
            walk(reply, comment["id"], thread)

    for thread in data["threads"]:
        for group in thread["subthreads"]:
            for top in group["comments"]:
                subject[top["id"]] = group["subject"]
                walk(top, None, thread["thread_id"])
    return complete_tree(pd.DataFrame(rows)), subject, drift


def table(rows, thread="t"):
    """A comments table from (id, parent, author, text) tuples."""
    return complete_tree(pd.DataFrame([{"comment_id": c, "parent_id": p, "thread_id": thread, "author": a, "text": t}
                                       for c, p, a, t in rows]))


FIVE = [("a", None, "Ann", "My bees swarmed from the hive this morning."),
        ("b", "a", "Bob", "Catch the swarm in a box with an old frame of brood."),
        ("c", None, "Cid", "My sourdough starter died again."),
        ("d", "c", "Dee", "Feed the starter flour and water twice a day."),
        ("e", "d", "Cid", "Thanks!")]


@pytest.fixture(scope="module")
def corpus():
    return invented()


@pytest.fixture(scope="module")
def result(corpus):
    return find_topics(corpus[0])


def level1(result):
    return result.subthreads[result.subthreads["level"] == 1]


def word_count(label):
    return len(label.split())


def test_topics_recover_the_invented_subjects(corpus, result):
    _, subject, _ = corpus
    rows = level1(result)
    truth = rows["subthread_id"].map(subject)
    assert truth.notna().all()
    # Every topic but the other subthreads' is of one subject, and no subject is in more than
    # two.  Measured NMI 0.896: "Starter smells like nail polish remover" (3 comments) is less
    # than MERGE_DISTANCE alike the other sourdough subthreads and stands alone, and the other
    # subthreads hold two one-liners ("Caro-Kann or Sicilian?", "Where is my refund?") that share
    # too few words with any topic.
    other = result.topics.loc[result.topics["label"] == topics.OTHER_LABEL, "topic_id"].tolist()
    on_topic = ~rows["topic_id"].isin(other)
    assert (truth[on_topic].groupby(rows["topic_id"][on_topic]).nunique() == 1).all()
    assert (rows["topic_id"][on_topic].groupby(truth[on_topic]).nunique() <= 2).all()
    sizes = corpus[0][~corpus[0]["is_placeholder"]].groupby("subthread_id").size()
    assert (rows.loc[~on_topic, "subthread_id"].map(sizes) < topics.MIN_TOPIC_COMMENTS).all()
    assert normalized_mutual_info_score(truth, rows["topic_id"]) >= 0.85


def test_one_broad_subject_splits_into_its_narrower_ones():
    # One thread on cycling in a city: every subthread shares "bike", "ride", "city", "cars".
    comments, subject, _ = invented(ONE_SUBJECT)
    result = find_topics(comments)
    rows = level1(result)
    assert normalized_mutual_info_score(rows["subthread_id"].map(subject), rows["topic_id"]) >= 0.9
    assert sorted(result.topics["label"].str.lower()) == ["bike lane", "e-bike battery", "helmet law",
                                                           "stolen bike", "winter riding"]


def test_without_structure_a_given_number_of_topics_comes_from_wards_tree():
    # Poisson noise around a shared core: the best average-linkage cut (silhouette ~0.1) is one
    # topic of 29 and a straggler; below NO_STRUCTURE n_topics cuts the Ward tree instead.
    rng = np.random.RandomState(0)
    points = normalize(rng.poisson(0.3, size=(30, 60)) + np.r_[np.full(5, 2.0), np.zeros(55)])
    found = clustering.cluster_rows(sparse.csr_matrix(points), 4, 0)
    distances = np.clip(1 - points @ points.T, 0, 2)
    np.fill_diagonal(distances, 0)
    average, ward = clustering.linkage_trees(distances.copy())
    score, giant = clustering.best_cut(average, distances, clustering.k_range(30, 30))
    assert score < clustering.NO_STRUCTURE and np.bincount(giant).max() == 29
    assert (found == fcluster(ward, 4, criterion="maxclust") - 1).all()
    assert np.bincount(found).max() <= 15 and len(np.unique(found)) == 4
    # Left to choose, the rows that all share one core are one topic.
    assert len(np.unique(clustering.cluster_rows(sparse.csr_matrix(points), None, 0))) == 1


def test_rows_merge_while_they_are_on_average_alike_enough():
    # Three pairs: two near-copies, two sharing a third of their weight, two with nothing shared.
    rows = normalize(np.array([[1, 1, 0, 0, 0, 0, 0, 0], [1, 1, 0.1, 0, 0, 0, 0, 0],
                               [0, 0, 1, 1, 1, 0, 0, 0], [0, 0, 1, 0, 0, 1, 1, 0],
                               [0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1e-9, 1]], dtype=float))
    similarity = rows @ rows.T
    assert similarity[2, 3] == pytest.approx(1 / 3) and 1 - similarity[2, 3] < clustering.MERGE_DISTANCE
    found = clustering.cluster_rows(sparse.csr_matrix(rows), None, 0)
    assert found.tolist() == [0, 0, 1, 1, 2, 2]
    apart = normalize(np.array([[1, 1, 0, 0, 0], [0, 0, 1, 1, 0], [0, 0.3, 0, 0, 1]], dtype=float))  # 0.20 alike
    assert clustering.cluster_rows(sparse.csr_matrix(apart), None, 0).tolist() == [0, 1, 2]


def test_topic_labels_name_their_subject(corpus, result):
    _, subject, _ = corpus
    rows = level1(result)
    for topic in result.topics.itertuples():
        members = rows[rows["topic_id"] == topic.topic_id]["subthread_id"].map(subject)
        if len(members) < 2 or topic.label == topics.OTHER_LABEL:
            continue
        majority = members.mode().iloc[0]
        assert set(topic.label.lower().split()) & SUBJECT_WORDS[majority], (topic.label, majority)


def test_subthread_labels_are_the_phrases_a_reader_would_pick(result):
    label = dict(zip(result.subthreads["subthread_id"], result.subthreads["label"]))
    assert "queen's gambit" in label["g11"].lower()
    assert "negative splits" in label["g14"].lower()
    assert "standard deduction" in label["m4"].lower()
    assert "oxalic acid" in label["h9"].lower()
    assert "london system" in label["m16"].lower()


def test_labels_are_short_distinct_noun_phrases(result):
    for frame in (result.subthreads, result.topics, result.threads):
        assert frame["label"].map(word_count).between(2, 4).all(), frame["label"].tolist()
        assert frame["label"].str.lower().is_unique, frame["label"].tolist()
    # Phrases read in order from the text, not bags of terms joined by commas.
    assert not result.subthreads["label"].str.contains(",").any()


def test_same_input_same_output(corpus, result):
    again = find_topics(corpus[0].copy())
    for name in ("subthreads", "topics", "comments", "threads"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(again, name))


def test_a_validated_table_needs_no_second_check(corpus, result):
    checked = find_topics(validate_comments(corpus[0]), check_input=False)
    for name in ("subthreads", "topics", "comments", "threads"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(checked, name))
    with pytest.raises(SchemaError, match="comments table lacks"):
        find_topics(corpus[0].drop(columns=["depth"]))


def test_tables_have_the_documented_columns(corpus, result):
    assert list(result.subthreads.columns) == topics.SUBTHREAD_COLUMNS
    assert list(result.topics.columns) == topics.TOPIC_COLUMNS
    assert list(result.comments.columns) == topics.COMMENT_COLUMNS
    assert list(result.threads.columns) == topics.THREAD_COLUMNS
    assert result.comments["comment_id"].tolist() == corpus[0]["comment_id"].tolist()
    rows = level1(result)
    assert rows["subthread_id"].tolist() == list(pd.unique(corpus[0]["subthread_id"]))
    assert result.topics["subthreads"].sum() == len(rows)
    assert result.topics["comments"].sum() == (~corpus[0]["is_placeholder"]).sum()
    assert result.threads["thread_id"].tolist() == ["homestead", "games-and-running", "money-matters"]
    terms = rows.set_index("subthread_id").loc["g11", "top_terms"].split("; ")
    assert 1 <= len(terms) <= 8 and all(":" in t and len(t.rsplit(":", 1)[1].split(".")[1]) == 3 for t in terms)


def test_the_planted_drift_is_found_and_reported(corpus, result):
    comments, _, planted = corpus
    drifting = set(result.comments.loc[result.comments["drifts"], "comment_id"])
    assert drifting == planted
    own = result.comments.set_index("comment_id")
    sourdough_topic = own.loc["h5", "topic_id"]
    assert own.loc["g10", "own_topic_id"] == sourdough_topic != own.loc["g10", "topic_id"]
    assert own.loc["g10", "own_topic_label"] == own.loc["h5", "topic_label"]
    # drift is the share of a subthread's comments whose own topic differs.
    merged = comments.merge(result.comments, on="comment_id")
    real = merged[~merged["is_placeholder"]]
    expected = real.groupby("subthread_id")["drifts"].mean()
    rows = level1(result).set_index("subthread_id")
    assert rows.loc["g6", "drift"] == pytest.approx(0.2)
    pd.testing.assert_series_equal(rows["drift"].sort_index(), expected.sort_index().astype(float),
                                   check_names=False)


def test_short_replies_take_the_topic_of_what_they_answer(corpus):
    comments = corpus[0]
    extra = pd.DataFrame([
        {"comment_id": "x1", "parent_id": "h1", "thread_id": "homestead", "author": "Zed", "text": "Tax?"},
        {"comment_id": "x2", "parent_id": "g10", "thread_id": "games-and-running", "author": "Aoife",
         "text": "Rye starter, nice."},
    ])
    source = comments[["comment_id", "parent_id", "thread_id", "author", "text"]]
    result = find_topics(complete_tree(pd.concat([source, extra], ignore_index=True)))
    own = result.comments.set_index("comment_id")
    # One word about taxes says too little: the reply stays with the beekeeping it answers.
    assert own.loc["x1", "own_topic_id"] == own.loc["h1", "own_topic_id"] and not own.loc["x1", "drifts"]
    # A short reply to the drifting sourdough comment follows it off topic.
    assert own.loc["x2", "own_topic_id"] == own.loc["g10", "own_topic_id"] and own.loc["x2", "drifts"]


def test_branches_get_level_2_rows(corpus):
    comments = corpus[0]
    three = find_topics(comments, min_branch_comments=3).subthreads
    branches = three[three["level"] == 2]
    # g2 with its two replies is the only branch of three comments.
    assert branches["subthread_id"].tolist() == ["g2"]
    assert branches["parent_subthread_id"].tolist() == ["g1"]
    assert branches["thread_id"].tolist() == ["games-and-running"]
    assert (three["level"].to_numpy() == sorted(three["level"])).all()
    two = find_topics(comments, min_branch_comments=2).subthreads
    assert {"g2", "h2", "g7", "g12", "g15", "m2", "h17"} <= set(two.loc[two["level"] == 2, "subthread_id"])
    assert two["label"].str.lower().is_unique
    # Level-2 rows are grouped under their parents, in source order.
    parents = two.loc[two["level"] == 2, "parent_subthread_id"].tolist()
    order = list(two.loc[two["level"] == 1, "subthread_id"])
    assert parents == sorted(parents, key=order.index)


def test_n_topics_overrides_the_automatic_choice(corpus):
    for wanted in (2, 5):
        assert len(find_topics(corpus[0], n_topics=wanted).topics) == wanted


def test_a_five_comment_thread(corpus):
    result = find_topics(table(FIVE))
    rows = level1(result)
    # No word of the bees' two comments is in both: no "X and Y" joins one comment's words.
    assert len(rows) == 2 and rows["label"].map(word_count).between(1, 4).all()
    assert " and " not in rows.loc[rows["subthread_id"] == "a", "label"].iloc[0]
    assert rows.loc[rows["subthread_id"] == "a", "label"].str.contains("bee|hive|swarm", case=False).all()
    assert rows.loc[rows["subthread_id"] == "c", "label"].str.contains("starter|sourdough", case=False).all()
    assert len(result.comments) == 5 and not result.comments["drifts"].any()
    assert result.threads["label"].map(word_count).between(2, 4).all()


def test_one_subthread_and_one_comment():
    one = find_topics(table([("a", None, "Ann", "Only one comment, on the Winter War in Finland.")]))
    assert one.subthreads["label"].tolist() == ["Winter War"]
    assert one.topics["subthreads"].tolist() == [1] and one.topics["comments"].tolist() == [1]
    single = find_topics(table([("a", None, "A", "Taurus missiles for Ukraine?"),
                                ("b", "a", "B", "Germany will not send Taurus missiles."),
                                ("c", "b", "A", "Yes.")]))
    assert single.subthreads["label"].str.contains("Taurus").all()
    assert len(single.topics) == 1


def test_no_text_placeholders_and_filler_still_get_labels():
    comments = table([("b", "gone", "Bea", ""),            # a reply to a missing comment, no text
                      ("c", None, "Cid", "Taurus missiles for Ukraine again."),
                      ("d", None, "Dan", "Yes, I think so too!"),
                      ("e", None, "Eve", "   ")])
    result = find_topics(comments)
    label = dict(zip(result.subthreads["subthread_id"], result.subthreads["label"]))
    assert label["gone"] == labels.NO_TEXT and label["e"] == labels.NO_TEXT
    assert label["d"] == labels.NO_TOPIC_WORDS
    # Nothing to read: the topic of the nearest subthread before it (after it for the first).
    topic = dict(zip(result.subthreads["subthread_id"], result.subthreads["topic_id"]))
    assert topic["gone"] == topic["c"] == topic["d"] == topic["e"]
    own = result.comments.set_index("comment_id")
    assert own.loc["gone", "own_topic_id"] == own.loc["gone", "topic_id"] and not own["drifts"].any()


def test_empty_and_non_english_text_do_not_break_it():
    nothing = find_topics(table([("a", None, "A", ""), ("b", "a", "B", "")]))
    assert nothing.subthreads["label"].tolist() == [labels.NO_TEXT]
    assert nothing.threads["label"].tolist() == [labels.NO_TEXT]
    mixed = find_topics(table([("a", None, "A", "Die Bundesregierung liefert keine Taurus Marschflugkörper."),
                               ("b", None, "B", "東京の天気は晴れです。"),
                               ("c", None, "C", "La boulangerie vend du pain au levain.")]))
    assert mixed.subthreads["label"].map(word_count).between(1, 4).all()
    assert mixed.subthreads["label"].str.lower().is_unique
    empty = find_topics(table(FIVE).iloc[:0])
    assert list(empty.subthreads.columns) == topics.SUBTHREAD_COLUMNS and empty.subthreads.empty


def test_plug_ins_replace_vectors_and_clusters():
    comments = table(FIVE)
    clustered = find_topics(comments, clusterer=KMeans(2, n_init=1, random_state=0))
    assert len(clustered.topics) == 2

    class Outliers:
        """A clusterer that, like HDBSCAN, leaves points out (-1)."""
        def fit_predict(self, X):
            return np.array([0] + [-1] * (X.shape[0] - 1))

    no_bucket = find_topics(comments, clusterer=Outliers())
    assert (no_bucket.subthreads["topic_id"] >= 0).all()
    embedded = find_topics(comments, vectorizer=TfidfVectorizer())
    assert embedded.subthreads["label"].tolist() == find_topics(comments).subthreads["label"].tolist()


def test_the_large_input_path(corpus, monkeypatch):
    # Above EXACT_LIMIT subthreads, LSA + mini-batch k-means micro-clusters come first.
    monkeypatch.setattr(clustering, "EXACT_LIMIT", 10)
    monkeypatch.setattr(clustering, "MICRO_CLUSTERS", 12)
    monkeypatch.setattr(labeller, "_LABEL_SAMPLE", 4)
    comments, subject, _ = corpus
    first, second = find_topics(comments), find_topics(comments)
    rows = level1(first)
    assert normalized_mutual_info_score(rows["subthread_id"].map(subject), rows["topic_id"]) >= 0.6
    pd.testing.assert_frame_equal(first.subthreads, second.subthreads)
    assert first.subthreads["label"].map(word_count).between(2, 4).all()


def test_phrase_frequencies_are_looked_up_where_they_were_hashed():
    keys = ["winter war", "taurus", "été", "u.s.", "x" * 40]
    hasher = HashingVectorizer(analyzer=lambda keys: keys, n_features=topics.N_FEATURES,
                               alternate_sign=False, norm=None)
    assert topics._columns(keys).tolist() == hasher.transform([[k] for k in keys]).indices.tolist()


def test_phrases_keep_reading_order_and_case():
    phrases = reference_phrases.Phrases(["At the end of the Winter War Karelia was lost.",
                              "The Winter War ended in 1940. Finland kept its independence."])
    assert phrases.counts["winter war"] == 2
    assert phrases.display("winter war") == "Winter War"
    assert "war winter" not in phrases.counts          # contiguous, in reading order
    assert "end winter" not in phrases.counts          # stop words break phrases
    assert phrases.display("finland") == "finland"     # only ever first in a sentence
    assert reference_phrases.Phrases(["Finland lost."], case={"finland": 3}).display("finland") == "Finland"
    assert labels.fold("Finns'") == labels.fold("Finn") and labels.fold("politics") == "politics"


# -- the reference thread (../shared/seeds) ------------------------------------------------------

@pytest.fixture(scope="module")
def seed(request):
    path = SEED
    if not path.is_file():
        pytest.skip("../shared/seeds is not available")
    comments = read_corpus(path).comments
    return comments, find_topics(comments), find_topics(comments, min_branch_comments=2)


def test_seed_subthreads_are_labelled_with_their_subjects(seed):
    comments, result, finer = seed
    label = dict(zip(finer.subthreads["subthread_id"], finer.subthreads["label"].str.lower()))
    assert "winter war" in label["c1"] or "finland" in label["c1"]
    ag = comments.loc[comments["author"] == "AG", "subthread_id"].iloc[0]
    assert "taurus" in label[ag]
    assert any(word in label[sid] for sid in ("c15", "c18") for word in ("minerals", "rare earth"))
    assert "ukrainian language" in label["c16"]


def test_seed_subthreads_fall_into_several_topics(seed):
    # One post's comments share a broad subject (silhouette ~0.08): no single topic takes over,
    # and a subthread shares a topic only with one on its subject.
    comments, result, _ = seed
    rows = level1(result).set_index("subthread_id")
    on_subject = result.topics[result.topics["label"] != topics.OTHER_LABEL]
    assert 4 <= len(on_subject) <= 12
    assert on_subject["subthreads"].max() <= len(rows) // 3
    # The other subthreads are short ones.
    other = rows[~rows["topic_id"].isin(on_subject["topic_id"])]
    assert (comments[~comments["is_placeholder"]].groupby("subthread_id").size()
            .reindex(other.index, fill_value=0) < topics.MIN_TOPIC_COMMENTS).all()
    ag = comments.loc[comments["author"] == "AG", "subthread_id"].iloc[0]
    assert len({rows.loc["c1", "topic_id"], rows.loc[ag, "topic_id"], rows.loc["c15", "topic_id"]}) == 3
    # tim's Danish troops are not vao's Winter War (issue 17).
    assert rows.loc["c44", "topic_id"] != rows.loc["c1", "topic_id"]


def test_seed_topic_labels_cover_their_members_when_the_count_is_forced(seed):
    # --topics 3 puts AG's Taurus subthread with five one-liners; the label is the members' subject.
    comments, _, _ = seed
    forced = find_topics(comments, n_topics=3)
    rows = level1(forced).set_index("subthread_id")
    ag = comments.loc[comments["author"] == "AG", "subthread_id"].iloc[0]
    assert "taurus" in rows.loc[ag, "topic_label"].lower()


def test_seed_tables_are_complete(seed):
    comments, result, finer = seed
    rows = level1(result)
    assert len(rows) == 21 and rows["label"].str.lower().is_unique
    # A subthread long enough for a heading has a phrase; one or two comments may say one word.
    sizes = comments.groupby("subthread_id").size()
    assert rows["label"].map(word_count).between(1, 4).all()
    assert rows.loc[rows["subthread_id"].map(sizes) >= 3, "label"].map(word_count).between(2, 4).all()
    assert len(result.comments) == len(comments)
    assert set(result.subthreads.loc[result.subthreads["level"] == 2, "subthread_id"]) == {"c2", "c9", "c27", "c31", "c36"}
    assert {"c16", "c18"} <= set(finer.subthreads.loc[finer.subthreads["level"] == 2, "subthread_id"])


@pytest.mark.parametrize("n", [2_500])
def test_thousands_of_identical_subthreads_share_one_topic(n):
    # A moderator's canned removal notice posted n times at top level: above EXACT_LIMIT the
    # micro-clusters all fall together, and there is no tree to cut (issue 22).
    text = "Your comment was removed because it breaks rule 3 of this subreddit. Please read the rules."
    comments = complete_tree(pd.DataFrame({"comment_id": [f"c{i}" for i in range(n)], "parent_id": None,
                                           "thread_id": "t", "author": [f"u{i % 97}" for i in range(n)],
                                           "text": text}))
    result = find_topics(comments)
    assert result.topics["topic_id"].tolist() == [0]
    assert len(result.subthreads) == n


def test_a_page_whose_comments_all_read_alike_is_one_topic(monkeypatch):
    # 50,000 comments that all read alike, scaled down: the same path with a lower EXACT_LIMIT.
    monkeypatch.setattr(clustering, "EXACT_LIMIT", 50)
    monkeypatch.setattr(clustering, "MICRO_CLUSTERS", 16)
    rows = [{"comment_id": f"c{i}", "parent_id": None if i % 5 == 0 else f"c{i - i % 5}", "thread_id": "t",
             "author": f"u{i % 31}", "text": "great giveaway thanks so much giveaway winner"} for i in range(1000)]
    result = find_topics(complete_tree(pd.DataFrame(rows)))
    assert result.subthreads["topic_id"].nunique() == 1


# -- how many topics, and which subthreads share one ----------------------------------------------

# A thread on a town's new tram line ("tram" in most subthreads): two subthreads on the fare, two
# on the route past the market, one on the depot, and short reactions on no subject of their own.
TRAM = [
    ("f1", None, "Ann", "The tram fare of three euros is too much for a single ride into town."),
    ("f2", "f1", "Bob", "A monthly tram pass brings the fare down to one euro a ride."),
    ("f3", "f2", "Ann", "Only if you ride every day; the single fare still hurts visitors."),
    ("g1", None, "Cid", "Why does a single tram fare cost more than the bus fare?"),
    ("g2", "g1", "Dee", "The bus fare is subsidised by the county, the tram fare is not."),
    ("g3", "g2", "Cid", "Then the county should subsidise the tram fare as well."),
    ("r1", None, "Eve", "The tram route past the market square will block the Saturday market stalls."),
    ("r2", "r1", "Fay", "The market stalls can move one street over while the route is built."),
    ("r3", "r2", "Eve", "Moving the market stalls kills the square."),
    ("s1", None, "Gus", "The market square tram route makes sense, the stalls fit beside the rails."),
    ("s2", "s1", "Hal", "Rails beside market stalls on Saturday, with children around? No."),
    ("s3", "s2", "Gus", "Other cities run trams through market squares safely."),
    ("d1", None, "Ida", "The depot by the river floods every spring; the tram depot needs a new site."),
    ("d2", "d1", "Jon", "A flood wall around the depot costs less than a new depot."),
    ("d3", "d2", "Ida", "The flood wall was refused twice by the river authority."),
    ("x1", None, "Kim", "lol"),
    ("x2", None, "Lou", "This is great news for the tram, congratulations everyone!"),
    ("x3", None, "Max", "Haha, finally."),
    ("x4", "x3", "Ned", "Right?"),
    ("x5", None, "Oli", "Cannot wait for the opening party with fireworks and free ice cream."),
    ("x6", None, "Pat", "The single tram fare should be one euro."),
]


@pytest.fixture(scope="module")
def tram():
    return find_topics(table(TRAM))


def test_subthreads_on_one_subject_share_a_topic_and_others_do_not(tram):
    topic = dict(zip(level1(tram)["subthread_id"], level1(tram)["topic_id"]))
    assert topic["f1"] == topic["g1"] and topic["r1"] == topic["s1"]
    assert len({topic["f1"], topic["r1"], topic["d1"]}) == 3


def test_short_and_chatty_subthreads_create_no_topics(tram):
    rows = level1(tram).set_index("subthread_id")
    # A short subthread on a topic's subject joins it; the rest are the other subthreads, last.
    assert rows.loc["x6", "topic_id"] == rows.loc["f1", "topic_id"]
    other = tram.topics.iloc[-1]
    assert other["label"] == topics.OTHER_LABEL and other["subthreads"] == 4
    assert set(rows.index[rows["topic_id"] == other["topic_id"]]) == {"x1", "x2", "x3", "x5"}
    assert len(tram.topics) == 4
    assert (tram.topics.iloc[:-1]["comments"] >= topics.MIN_TOPIC_COMMENTS).all()
    # Nothing is placed in the other subthreads by its words.
    comments = tram.comments.set_index("comment_id")
    assert not (comments.loc[["f1", "r1", "d1", "x6"], "own_topic_id"] == other["topic_id"]).any()


def test_topic_labels_cover_their_subthreads(tram):
    label = dict(zip(tram.topics["topic_id"], tram.topics["label"].str.lower()))
    rows = level1(tram).set_index("subthread_id")
    assert "fare" in label[rows.loc["f1", "topic_id"]]
    assert "market" in label[rows.loc["r1", "topic_id"]]


def test_a_given_number_of_topics_has_no_other_subthreads():
    result = find_topics(table(TRAM), n_topics=3)
    assert len(result.topics) == 3 and topics.OTHER_LABEL not in set(result.topics["label"])


def test_a_small_thread_is_not_all_other_subthreads():
    # No subthread reaches MIN_TOPIC_COMMENTS: the clusters stand as they are.
    result = find_topics(table([("a", None, "A", "Sourdough starter smells of acetone after a week."),
                                ("b", None, "B", "Sourdough starter needs feeding twice a day."),
                                ("c", None, "C", "Our hive swarmed; the bees settled in an apple tree.")]))
    assert topics.OTHER_LABEL not in set(result.topics["label"])
    topic = result.subthreads["topic_id"].tolist()
    assert topic[0] == topic[1] != topic[2]


def test_tfidf_vectors_are_sublinear_tfidf_in_32_bit_floats():
    from sklearn.feature_extraction.text import TfidfTransformer

    from discourse.topics.find import _idf, _tfidf

    rng = np.random.RandomState(0)
    counts = sparse.random(60, 40, density=0.2, random_state=rng, format="csr", dtype=np.float32)
    counts.data = np.ceil(counts.data * 5)
    idf = _idf(counts)
    expected = TfidfTransformer(sublinear_tf=True).fit(counts)
    expected.idf_ = idf
    found = _tfidf(counts, idf)
    assert found.dtype == np.float32  # half the memory of a million comments' vectors
    np.testing.assert_allclose(found.toarray(), expected.transform(counts.astype(np.float64)).toarray(), rtol=1e-6,
                               atol=1e-7)


def test_a_topic_label_is_a_phrase_before_a_lone_word_however_common_the_word():
    from discourse.topics.labeller import ClassLabel

    texts = np.array(["The design of network storage hides cascading failures.", "Cascading failures again.",
                      "Good design wins.", "Design for failure.", "Bad design."], dtype=object)
    members = [np.array([0, 1]), np.array([2, 3, 4])]
    subthreads = [ClassLabel(["cascading failures"]), ClassLabel(["design"])]
    topic = ClassLabel(["design", "network storage"])
    (covered,) = topics._covering([topic], np.array([0, 0]), members, texts, subthreads)
    # "design" is in every subthread, the phrases in one: the phrases come first (in their order:
    # they cover as much), then the word.
    assert covered.options == ["network storage", "cascading failures", "design"]
