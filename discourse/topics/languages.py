"""The language of each thread, and its texts made ready for reading in that language.

Each thread's language is detected offline from a sample of its text: a sample of plain ASCII
words a fifth or more of which are English function words is English; any other sample is
given to Lingua (``lingua-language-detector``, its models ship in the package), restricted to
:data:`LANGUAGES`.  A thread in another language has its texts rewritten before they are read
(:func:`prepare`): Chinese is segmented into words by jieba and Japanese by Janome (both ship
their dictionaries), CJK punctuation becomes its ASCII counterpart, and each stop word or piece
of conversational filler of the language (``stopwordsiso`` and :data:`FILLER`) becomes an
English stop word, so the one tokeniser of :mod:`discourse.topics.phrases` ends phrases there.
English stop words and filler apply to every text.  Labels are then shown in the thread's
language (:func:`localise`: "X und Y", no spaces between CJK words).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

if TYPE_CHECKING:
    import jieba
    from janome.tokenizer import Tokenizer
    from lingua import LanguageDetector

__all__ = ["LANGUAGES", "FILLER", "detect_language", "thread_languages", "prepare", "localise", "stop_words"]

#: Languages told apart (ISO 639-1); anything else is read as English.
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "zh", "ja")

#: Conversational filler per language, beyond its stop words: thanks, agreement, laughter, hedges.
FILLER = {
    "de": "danke dank bitte genau stimmt ja jein nein naja halt eben eigentlich echt wirklich total "
          "super toll gut schlecht leute ding dinge sache sachen mal gerade finde meine meinung "
          "glaube denke lol haha hallo hi tschüss grüße gruß beitrag kommentar artikel link frage antwort",
    "fr": "merci oui non ouais bah bon bien vraiment genre truc trucs chose choses gens pense "
          "crois trouve lol mdr haha salut bonjour article commentaire lien question réponse",
    "es": "gracias sí si no vale bueno bien claro verdad cosa cosas gente creo pienso jaja jajaja "
          "lol hola saludos artículo comentario enlace pregunta respuesta",
    "it": "grazie sì si no vero bene bello cosa cose gente penso credo ahah ahaha lol ciao salve "
          "articolo commento link domanda risposta",
    "pt": "obrigado obrigada valeu sim não nao bem bom coisa coisas gente acho penso kkk kkkk "
          "rsrs lol olá oi artigo comentário link pergunta resposta",
    "nl": "bedankt dank ja nee nou gewoon echt wel goed ding dingen mensen denk vind lol haha "
          "hoi hallo artikel reactie link vraag antwoord",
    "ru": "спасибо да нет ну вот типа короче просто реально очень хорошо плохо вещь вещи люди "
          "думаю считаю кажется лол ха хаха привет статья комментарий ссылка вопрос ответ",
    "zh": "谢谢 感谢 哈哈 哈哈哈 呵呵 是的 对 对的 好的 好 没有 可以 觉得 认为 知道 大家 东西 问题 "
          "请问 一下 这个 那个 什么 怎么 真的 其实 楼主 回复 文章 评论 链接",
    "ja": "ありがとう ありがとうございます どうも はい いいえ そう そうです 本当 ほんと すごい 思う "
          "思います 笑 www 草 こと もの 人 みんな 記事 コメント リンク 質問 回答",
}

_ENGLISH = frozenset("the and of to a in is it that for you i this be on with not are was but have so just "
                     "if they we my what at or".split())
_SAMPLE = 600  # characters of a thread read to tell its language
_SAMPLE_TEXTS = 16  # texts of a thread looked at per step while its sample is short
_WORD = re.compile(r"[^\W\d_]+")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_CJK_PUNCTUATION = str.maketrans({"，": ", ", "。": ". ", "！": "! ", "？": "? ", "；": "; ", "：": ": ", "、": ", ",
                                  "（": " (", "）": ") ", "「": ' "', "」": '" ', "『": ' "', "』": '" ',
                                  "【": " (", "】": ") ", "《": ' "', "》": '" ', "…": "… ", "～": " "})
_AND = {"en": "and", "de": "und", "fr": "et", "es": "y", "it": "e", "pt": "e", "nl": "en", "ru": "и",
        "zh": "和", "ja": "と"}
_STOP_STAND_IN = "the"  # an English stop word: a run of content words ends where it stands


def detect_language(sample: str) -> str:
    """ISO 639-1 code of the language of ``sample`` among :data:`LANGUAGES` ("en" when unsure).

    Examples
    --------
    >>> detect_language("Die Bundesregierung liefert keine Marschflugkörper an die Ukraine.")
    'de'
    >>> detect_language("The Winter War ended in 1940.")
    'en'
    """
    words = _WORD.findall(sample.lower())
    if not words:
        return "en"
    if sample.isascii() and sum(word in _ENGLISH for word in words) >= 0.2 * len(words):
        return "en"
    found = _detector().detect_language_of(sample)
    code = found.iso_code_639_1.name.lower() if found is not None else "en"
    return code if code in LANGUAGES else "en"


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in ("ENGLISH", "GERMAN", "FRENCH", "SPANISH", "ITALIAN",
                                                      "PORTUGUESE", "DUTCH", "RUSSIAN", "CHINESE", "JAPANESE")]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def thread_languages(texts: Sequence[str] | np.ndarray, thread_codes: np.ndarray, n_threads: int) -> list[str]:
    """The language of each thread (codes ``0..n_threads-1``), from its first ``_SAMPLE``
    characters of text (detectors saturate after a few hundred characters: a million comments
    are not all read).  Each thread's first :data:`_SAMPLE_TEXTS` texts are found at once; only
    a thread whose first texts are too short to fill the sample reads on."""
    codes = np.asarray(thread_codes, dtype=np.int64)
    order = np.argsort(codes, kind="stable")  # each thread's texts in reading order
    starts = np.searchsorted(codes[order], np.arange(n_threads + 1))
    samples: list[list[str]] = [[] for _ in range(n_threads)]
    for thread in range(n_threads):
        parts, size, at, end = samples[thread], 0, int(starts[thread]), int(starts[thread + 1])
        while at < end and size < _SAMPLE:
            for position in order[at:min(end, at + _SAMPLE_TEXTS)].tolist():
                text = texts[position]
                if text and size < _SAMPLE:
                    parts.append(text)
                    size += len(text)
            at += _SAMPLE_TEXTS
    return [detect_language(" ".join(parts)[:2 * _SAMPLE]) for parts in samples]


@lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset:
    """Stop words and conversational filler of a language (lower case)."""
    if language == "en":
        return frozenset()
    import stopwordsiso

    return frozenset(w.lower() for w in stopwordsiso.stopwords(language)) | frozenset(FILLER.get(language, "").split())


def _segmenter(language: str) -> Callable[[str], list[str]]:
    """Words of a Chinese or Japanese text, in order (the segmenter loaded once)."""
    if language == "zh":
        return _jieba().lcut
    tokenizer = _janome()
    return lambda text: [token.surface for token in tokenizer.tokenize(text)]


@lru_cache(maxsize=1)
def _jieba() -> jieba.Tokenizer:
    import jieba

    jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO: --quiet means quiet
    return jieba.Tokenizer()


@lru_cache(maxsize=1)
def _janome() -> Tokenizer:
    from janome.tokenizer import Tokenizer

    return Tokenizer()


def prepare(texts: Sequence[str] | np.ndarray, language: str) -> list[str]:
    """``texts`` of one language rewritten for the tokeniser (see the module docstring);
    English texts are returned as they are.

    Examples
    --------
    >>> prepare(["Die Taurus Marschflugkörper sind umstritten."], "de")
    ['the Taurus Marschflugkörper the umstritten.']
    """
    texts = list(texts)
    if language == "en":
        return texts
    stop = stop_words(language)
    if language in ("zh", "ja"):
        cut = _segmenter(language)
        out = []
        for text in texts:
            words = cut(text.translate(_CJK_PUNCTUATION)) if text else []
            out.append(" ".join(_STOP_STAND_IN if w.lower() in stop else w for w in words if not w.isspace()))
        return out
    pattern = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
    return [pattern.sub(lambda m: _STOP_STAND_IN if m.group().lower() in stop else m.group(), text)
            for text in texts]


def localise(label: str, language: str) -> str:
    """A default label in its language: the joining word ("X und Y") and no spaces between
    Chinese or Japanese words.

    Examples
    --------
    >>> localise("Taurus and Marschflugkörper", "de")
    'Taurus und Marschflugkörper'
    >>> localise("机器 学习 and 数据", "zh")
    '机器学习和数据'
    """
    if language != "en" and " and " in label:
        joiner = _AND.get(language, "and")
        label = label.replace(" and ", joiner if language in ("zh", "ja") else f" {joiner} ", 1)
    return _CJK_SPACE.sub("", label) if language in ("zh", "ja") else label
