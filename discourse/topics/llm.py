"""A labeller that asks a user's own language-model server (an OpenAI-compatible chat API).

Optional and never the default: :func:`~discourse.topics.find.find_topics` labels offline and
deterministically unless given ``labeller=ChatLabeller(...)``.  Nothing is downloaded; the
server is whatever the user runs (llama.cpp's ``llama-server``, vLLM, Ollama's OpenAI endpoint,
...) at the URL given.  Each class is one request with a sample of its comments; the answer's
first line is the label.  Kinds not asked about (by default branches and threads) are labelled
by the default :class:`~discourse.topics.labeller.PhraseLabeller`.

>>> from discourse.topics.llm import ChatLabeller
>>> labeller = ChatLabeller("http://127.0.0.1:8080/v1", model="local")   # nothing is sent yet
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Iterable, Sequence

from .labeller import ClassLabel, LabelRequest, LabellerError, PhraseLabeller

if TYPE_CHECKING:
    import numpy as np

__all__ = ["ChatLabeller", "PROMPT"]

#: The instruction sent with each class's comments.
PROMPT = ("Here are comments from one part of an online discussion. Write the heading a reader would give "
          "it: a specific noun phrase of 2 to 4 words, in the language of the comments, naming what they "
          "discuss. Never use a participant's name. If the comments are jokes, thanks or reactions with no "
          "subject, say so plainly (for example \"jokes about the giveaway\"). Answer with the heading only.")

_LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
                   "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "zh": "Chinese", "ja": "Japanese"}


class ChatLabeller:
    """Labels from an OpenAI-compatible ``/chat/completions`` endpoint.

    Parameters
    ----------
    url : str
        The API's base URL, e.g. ``"http://127.0.0.1:8080/v1"``.
    model : str
        The model name the server expects.
    api_key : str, optional
        Sent as ``Authorization: Bearer ...`` when given.
    kinds : sequence of str
        The kinds of classes asked about (:data:`~discourse.topics.labeller.KINDS`); others get
        the default labeller's labels.
    max_chars : int
        Characters of each class's comments sent (the first comments, in order).
    timeout : float
        Seconds to wait for each answer.
    """

    def __init__(self, url: str, model: str, *, api_key: str | None = None,
                 kinds: Sequence[str] = ("topic", "subthread"), max_chars: int = 4000, timeout: float = 60.0) -> None:
        self.url, self.model, self.api_key = url.rstrip("/"), model, api_key
        self.kinds, self.max_chars, self.timeout = tuple(kinds), int(max_chars), float(timeout)
        self._default = PhraseLabeller()

    def __call__(self, request: LabelRequest) -> list[ClassLabel]:
        """One :class:`~discourse.topics.labeller.ClassLabel` per class of ``request``."""
        found = self._default(request)
        if request.kind not in self.kinds:
            return found
        out = []
        languages = request.languages or ["en"] * len(request.classes)
        for members, default, language in zip(request.classes, found, languages):
            sample = self._sample(request.texts, members)
            if not sample:
                out.append(default)
                continue
            label = self._ask(sample, language)
            out.append(ClassLabel([label, *default.options], default.weight, default.top_terms, default.terms, language))
        return out

    def _sample(self, texts: np.ndarray, members: Iterable[int]) -> str:
        parts, size = [], 0
        for position in members:
            text = str(texts[position]).strip()
            if not text:
                continue
            parts.append(f"- {text[: self.max_chars - size]}")
            size += len(parts[-1])
            if size >= self.max_chars:
                break
        return "\n".join(parts)

    def _ask(self, sample: str, language: str) -> str:
        name = _LANGUAGE_NAMES.get(language, "that of the comments")
        body = {"model": self.model, "temperature": 0,
                "messages": [{"role": "system", "content": PROMPT},
                             {"role": "user", "content": f"Language: {name}\n\n{sample}"}]}
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        call = urllib.request.Request(f"{self.url}/chat/completions", data=json.dumps(body).encode("utf-8"),
                                      headers=headers, method="POST")
        try:
            with urllib.request.urlopen(call, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
            text = answer["choices"][0]["message"]["content"]
        except (urllib.error.URLError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise LabellerError(f"the labelling server at {self.url} gave no label: {exc}") from None
        lines = [line.strip().strip('"“”«»').strip() for line in str(text).splitlines() if line.strip()]
        if not lines:
            raise LabellerError(f"the labelling server at {self.url} answered with an empty label")
        return " ".join(lines[0].split()[:8])
