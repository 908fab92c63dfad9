"""Clusters of L2-normalised rows (subthread vectors).

Up to ``EXACT_LIMIT`` rows: average-linkage agglomerative clustering on cosine distance, the
dendrogram cut at ``MERGE_DISTANCE``: rows (or clusters) are merged only while they are on
average at least ``1 - MERGE_DISTANCE`` alike, so two subthreads share a topic when they share
its words, and a subthread on a subject of its own stays apart however many others there are.
Readers head most subthreads of a thread with their own subject and put two under one topic
only when they are plainly on the same one; a fixed number of topics, or the cut with the best
silhouette, merges unrelated subthreads whenever a thread has fewer subjects to tell apart than
it has subthreads, and a single blog post's comments, which share one broad subject, have no
cut with any structure at all.

With ``n_topics`` given, the tree is cut into that many clusters instead: the average-linkage
tree when its best silhouette is at least ``NO_STRUCTURE`` (0.25, below which Kaufman and
Rousseeuw find "no substantial structure"), else Ward's (on the unit vectors, where it minimises
the within-cluster cosine spread), whose clusters are balanced where average linkage would
chain the rows into one giant cluster plus stragglers.

Above ``EXACT_LIMIT`` rows, ``MiniBatchKMeans`` first makes ``MICRO_CLUSTERS`` micro-clusters of
the rows' 100-dimension LSA vectors (the basis fitted on a fixed sample of ``LSA_SAMPLE``),
whose centroids are clustered by the tree of the highest silhouette, cut at the number of
topics from 2 to ``min(sqrt(2n), 100)`` with the highest mean silhouette (measured on a fixed
sample of rows): at that scale the clusters are corpus-wide subjects, not a thread's headings.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.metrics import silhouette_score
from sklearn.metrics.pairwise import cosine_distances
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy.typing as npt

EXACT_LIMIT = 2000
MICRO_CLUSTERS = 256
LSA_SAMPLE = 20_000
NO_STRUCTURE = 0.25
MERGE_DISTANCE = 0.75


def membership(codes: npt.ArrayLike, n_groups: int) -> sparse.csr_matrix:
    """Sparse group x row indicator of ``codes`` (each row's group)."""
    codes = np.asarray(codes)
    return sparse.csr_matrix((np.ones(len(codes), dtype=np.float32), (codes, np.arange(len(codes)))),
                             shape=(n_groups, len(codes)))


def cluster_centres(vectors: np.ndarray | sparse.spmatrix, topic_of: npt.ArrayLike, n_topics: int) -> np.ndarray:
    """L2-normalised mean vector of each cluster's rows (dense, clusters x features)."""
    centres = membership(topic_of, n_topics) @ vectors
    return normalize(centres.toarray() if sparse.issparse(centres) else np.asarray(centres))


def k_range(n: int, points: int) -> range:
    """Numbers of topics tried for ``n`` subthreads in a tree of ``points`` leaves."""
    return range(2, min(points - 1, int(np.ceil(np.sqrt(2 * n))), 100) + 1)


def best_cut(tree: np.ndarray, distances: np.ndarray, k_values: Iterable[int],
             to_points: np.ndarray | None = None) -> tuple[float, np.ndarray | None]:
    """Dendrogram cut (labels of the tree's leaves) with the highest mean silhouette, and that
    silhouette (``(-inf, None)`` when no cut splits the points).

    ``distances`` are between the points scored; ``to_points`` maps them to tree leaves
    (identity when the tree's leaves are the points).  Ties keep the smaller k.
    """
    best_score, best = -np.inf, None
    for k in k_values:
        cut = fcluster(tree, k, criterion="maxclust")
        scored = cut if to_points is None else cut[to_points]
        if not 2 <= len(np.unique(scored)) < len(scored):
            continue
        value = silhouette_score(distances, scored, metric="precomputed")
        if value > best_score + 1e-12:
            best_score, best = value, cut
    return best_score, best


def linkage_trees(distances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average-linkage and Ward trees over points ``distances`` (cosine) apart."""
    np.fill_diagonal(distances, 0.0)
    condensed = squareform(np.clip(distances, 0.0, 2.0), checks=False)
    # Between unit vectors the Euclidean distance Ward needs is sqrt(2 x cosine distance).
    return linkage(condensed, method="average"), linkage(np.sqrt(2.0 * condensed), method="ward")


def structured_cut(trees: tuple[np.ndarray, np.ndarray], distances: np.ndarray, k_values: Iterable[int],
                   n_topics: int | None, to_points: np.ndarray | None = None) -> np.ndarray:
    """Leaf labels (from 1): the average-linkage cut when it finds structure, else Ward's."""
    average, ward = trees
    score, cut = best_cut(average, distances, k_values, to_points)
    tree = average if score >= NO_STRUCTURE else ward
    if n_topics is not None:
        return fcluster(tree, min(n_topics, tree.shape[0] + 1), criterion="maxclust")
    if tree is ward:
        cut = best_cut(ward, distances, k_values, to_points)[1]
    return cut if cut is not None else np.ones(tree.shape[0] + 1, dtype=int)


def cluster_rows(vectors: np.ndarray | sparse.spmatrix, n_topics: int | None, random_state: int) -> np.ndarray:
    """Topic of each row of ``vectors`` (L2-normalised, no zero rows): see the module docstring."""
    n = vectors.shape[0]
    if n <= 1:
        return np.zeros(n, dtype=int)
    if n <= EXACT_LIMIT:
        distances = np.asarray(cosine_distances(vectors), dtype=np.float64)
        np.fill_diagonal(distances, 0.0)
        trees = linkage_trees(distances.copy())
        if n_topics is None:
            return pd.factorize(fcluster(trees[0], MERGE_DISTANCE, criterion="distance"))[0]
        return structured_cut(trees, distances, k_range(n, n), n_topics) - 1
    # Large inputs: 100-dimension LSA, micro-clusters by mini-batch k-means, then the same
    # criterion on the micro-clusters' centroids.  One BLAS thread: the same result on any
    # machine, and the other core stays free for the graph work running alongside.
    with threadpool_limits(limits=1):
        reduced, micro, centres = _micro_clusters(vectors, random_state)
    used, micro = np.unique(micro, return_inverse=True)
    if len(used) < 2:
        # Every row alike (2,500 copies of a moderator's removal notice): one cluster, no tree to cut.
        return np.zeros(n, dtype=int)
    centres = normalize(centres[used])
    trees = linkage_trees(1.0 - centres @ centres.T)
    sample = np.sort(np.random.RandomState(random_state).choice(n, size=EXACT_LIMIT, replace=False))
    distances = np.asarray(cosine_distances(reduced[sample]), dtype=np.float64)
    np.fill_diagonal(distances, 0.0)
    return (structured_cut(trees, distances, k_range(n, len(used)), n_topics, to_points=micro[sample]) - 1)[micro]


def _micro_clusters(vectors: np.ndarray | sparse.spmatrix,
                    random_state: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LSA vectors of the rows, their micro-cluster and the micro-clusters' centres.  The LSA
    basis is fitted on at most ``LSA_SAMPLE`` rows (a fixed sample): enough to find 100 axes,
    and a fit on every row would cost as much as the rest of the clustering."""
    n = vectors.shape[0]
    with warnings.catch_warnings():
        # Rows that all read alike have no variance: the explained-variance ratio (unused) is 0/0.
        warnings.filterwarnings("ignore", "invalid value encountered in divide", RuntimeWarning)
        return _reduced_micro_clusters(vectors, n, random_state)


def _reduced_micro_clusters(vectors: np.ndarray | sparse.spmatrix, n: int,
                            random_state: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    svd = TruncatedSVD(n_components=max(1, min(100, n - 1, vectors.shape[1] - 1)), random_state=random_state)
    if n > LSA_SAMPLE:
        svd.fit(vectors[np.sort(np.random.RandomState(random_state).choice(n, size=LSA_SAMPLE, replace=False))])
        reduced = normalize(svd.transform(vectors))
    else:
        reduced = normalize(svd.fit_transform(vectors))
    kmeans = MiniBatchKMeans(n_clusters=MICRO_CLUSTERS, init="random", n_init=1,
                             random_state=random_state, batch_size=4096)
    return reduced, kmeans.fit_predict(reduced), kmeans.cluster_centers_


def external_clusters(clusterer: Any, vectors: np.ndarray | sparse.spmatrix) -> np.ndarray:
    """Labels from a user's clusterer; outliers (-1, as HDBSCAN gives) join the nearest cluster."""
    found = np.asarray(clusterer.fit_predict(vectors))
    if (found >= 0).any() and (found < 0).any():
        known = np.unique(found[found >= 0])
        centres = normalize(np.vstack([np.asarray(vectors[found == k].mean(axis=0)).ravel() for k in known]))
        nearest = np.asarray(vectors[found < 0] @ centres.T).argmax(axis=1)
        found = found.copy()
        found[found < 0] = known[nearest]
    return pd.factorize(found)[0] if len(found) else found
