"""Subthread topics: clustering (:func:`cluster_subthreads`), then labelling (:func:`label_clusters`)
through a plug-in labeller (:mod:`discourse.topics.labeller`); :func:`find_topics` does both."""

from .find import Clusters, Topics, cluster_subthreads, find_topics, label_clusters
from .labeller import ClassLabel, LabelRequest, Labeller, LabellerError, PhraseLabeller

__all__ = ["find_topics", "cluster_subthreads", "label_clusters", "Topics", "Clusters",
           "ClassLabel", "LabelRequest", "Labeller", "LabellerError", "PhraseLabeller"]
