"""Readable labels from text: tokens, candidate phrases, class-based TF-IDF and label building.

Tokens are words with a *key* (lower case, possessive and regular plural folded, so "Finns'"
and "Finn" count together) and a *surface* (as written).  Stop words (scikit-learn's English
list, conversational filler, forum boilerplate and common verbs), numbers and punctuation
split the text into runs; candidate phrases are the 1-3-word n-grams inside a run, so every
candidate occurs contiguously, in reading order, and neither starts nor ends with a stop
word (nor ends with a past participle: "rejected").

Candidates are scored with class-based TF-IDF as BERTopic defines it: the candidate's share
of the class's candidates times ``log(1 + A / f)``, ``A`` the average number of words per
class and ``f`` the candidate's frequency over all classes.  The label reads the best
candidate as a noun phrase of 2-4 words: a phrase as it is; a word as the phrase it stands
in ("Soviet" -> "Soviet Union", "Taurus" -> "Taurus missiles"), else joined by "and" to the
next best term of another word family ("Kuriles and negotiations"), never a bag of terms.
Each word is shown as most often written ("Winter War", "Queen's Gambit").

`tests/reference/phrases.py` reads one class the plain way; :mod:`discourse.topics.labels` gives its
result for every class of a table at once, from the corpus read once (:mod:`discourse.topics.features`).
:mod:`discourse.topics.phrasing` turns ranked candidates into the label text.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

#: Labels for subthreads with nothing to read; the only labels that may repeat.
NO_TEXT = "no text"
NO_TOPIC_WORDS = "no topic words"

# Words scikit-learn lists as stop words that name subjects in comment sections
# ("tax bill", "mortgage interest", "missile system"); they stay content words.
_KEEP = {"bill", "fire", "interest", "system", "front", "mill"}

# Conversational filler, hedges, reporting verbs and forum boilerplate: frequent in every
# comment section whatever its subject, so they would otherwise crowd into labels.
_FILLER = """
thinks thought thinking just reply replies replied yes yeah yep yup nope people really knows knew
known like likes liked said says saying wants wanted going gonna got gets getting makes making way
ways thing things lot lots good great bad sure actually probably maybe guess pretty quite kind sort
mean means right point points fact facts time times year years day days today tomorrow yesterday
week weeks month months thanks thank comment comments commenter post posts posted thread threads
article articles link links read reading agree agreed disagree true false course example instance
lol ok okay oh ah hmm hmmm imo imho btw fwiw iirc tl dr edit edited update quote quoted write writes
writing looks looking looked seen saw comes came coming told telling tried trying used using needs
needed let lets goes did does doing didn don isn wasn won wouldn couldn shouldn aren haven hasn ll
ve better best new old big little different twice early worth monday tuesday wednesday thursday
friday saturday sunday pound dollar euro percent cent kg km lb metre meter kilometre kilometer real
bit able certain stuff guy guys everybody somebody anybody person question half hour hours minute
minutes second seconds possible impossible important clear obvious likely unlikely entire various
similar main wrong correct stupid crazy silly weird strange funny huge tiny plenty start starting
started believe feels felt hope hoped remember wonder suppose suspect appear appears appeared taken
hear heard understand happens happened far away instead later soon ago current unless despite lately
sorry dear wow hey hi hello cheers welcome love loved nice cool awesome interesting case cases idea
ideas matter matters kinda sorta gotta wanna tho til till vs mr mrs ms st th nd rd pm la le el les
et
""".split()

_CONTRACTIONS = """
don't doesn't didn't isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't couldn't
shouldn't mustn't needn't ain't i'm i've i'd i'll you're you've you'd you'll he's he'd he'll she's
she'd she'll it's it'd it'll we're we've we'd we'll they're they've they'd they'll that's that'd
that'll there's there'd there'll here's what's who's who'd let's y'all how's where's when's why's
""".split()

# Verbs that are rarely nouns: as label words they make clauses ("Ukraine speaks"), not
# subjects.  Their -ing forms are added below; "-s" forms fold to these keys.
_VERBS = """
accept achieve add admit advise afford allow announce apply argue arrive ask assume avoid become
begin belong bother bring buy carry choose compare complain consider contain continue convince
decide declare deny depend deserve destroy die discover discuss eat enable encourage enjoy ensure
enter establish exist expect explain express fail fix follow forget forgive give grow happen hide
hurt ignore imagine include indicate insist intend introduce invest involve join learn leave listen
live lose maintain manage meet mention miss notice obtain occur pass pay perform pick play prefer
prepare pretend prevent produce promise protect prove provide pull push raise reach react realise
realize receive recognise recognize recommend reduce refer refuse reject relate rely remain remind
remove repeat replace represent require respond reveal save seek sell send serve settle solve speak
spend stand stay stick stop finish succeed suffer suggest survive teach tend throw treat undertake
wait warn wear wish worry take get see show find keep move seem call look come make try use say tell
think know want need feel took gave brought sought kept left lost meant met paid sent sat spent
stood understood wrote written spoken chosen given forgotten shown held hidden begun became began
went gone ate fell fought found built bought caught drove driven rose risen shot slept stuck struck
threw thrown died
"""


def _ing(verb: str) -> str:
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    if len(verb) <= 4 and verb[-1] in "bdgmnprt" and verb[-2] in "aeiou" and verb[-3] not in "aeiou":
        return verb + verb[-1] + "ing"
    return verb + "ing"


# Nouns ending in "-ly" that the adverb rule below must not drop.
_LY_NOUNS = {"family", "assembly", "monopoly", "oligopoly", "duopoly", "anomaly", "supply",
             "italy", "sicily", "july", "jelly", "belly", "butterfly", "lily", "homily", "panoply",
             "rally", "ally", "melancholy", "reply", "bully", "folly", "tally", "holly", "gully"}

STOP_WORDS = frozenset((set(ENGLISH_STOP_WORDS) - _KEEP) | set(_FILLER) | set(_CONTRACTIONS)
                       | set(_VERBS.split()) | {_ing(v) for v in _VERBS.split()})

# Plural folding must leave these alone ("politics" is not the plural of "politic").
_NOT_PLURAL = {"news", "series", "species", "chaos", "lens", "bus", "gas", "plus", "thus", "yes",
               "its", "has", "was", "this", "always", "perhaps", "towards", "whereas", "sometimes",
               "canvas", "atlas", "bias", "alias", "christmas", "texas", "paris", "athens", "wales",
               "brussels", "kansas", "arkansas", "us", "dos", "aids", "mathematics", "physics"}

# A mail address is tried only where a run of non-space characters starts, up to its first "@":
# the same matches as ``\S+@\S+\.\w+`` (a later start in the run matches only if its start does),
# in time linear in the run, not quadratic ("x" * 200,000 + "@b" took a minute).
_URL = re.compile(r"(?:https?://|www\.)\S+|(?<!\S)\S[^\s@]*@\S+\.\w+")
# One pass over the text: a word (hyphens and apostrophes inside it), the end of a sentence,
# or punctuation that ends a chunk (not a hyphen or apostrophe within a word).
# A run of marks ends a sentence only as a whole: read from its first mark, without backtracking
# (``[.!?]+(?=\s|$)`` tried at every mark of a run is quadratic in the run's length).
_TOKEN = re.compile(r"""([^\W_](?:[\w'\-]*[^\W_])?)|((?<![.!?])[.!?]++(?=\s|$)|\n)"""
                    r"""|([,;:()\[\]{}"“”«»„…|/\\.!?]|\s[-–—]+\s|[–—]|(?<!\w)'|'(?!\w))""")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "ʼ": "'"})



def fold(word: str) -> str:
    """Lower-case key of a word: possessive dropped, regular plurals folded to the singular."""
    key = word.lower()
    if key.endswith("'s"):
        key = key[:-2]
    elif key.endswith("s'"):
        key = key[:-1]
    if len(key) <= 3 or key in _NOT_PLURAL or not key.endswith("s") or "'" in key:
        return key
    if key.endswith(("ss", "us", "is", "ics")):
        return key
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    if key.endswith(("sses", "xes", "ches", "shes", "zes")):
        return key[:-2]
    return key[:-1]


@lru_cache(maxsize=1 << 18)
def _classify(surface: str) -> str | None:
    """Key of a content word, None for a stop word (cached: word frequencies are Zipfian)."""
    if surface == "US":
        return "u.s."  # the country, not the pronoun
    key = fold(surface)
    low = surface.lower()
    if low in STOP_WORDS or key in STOP_WORDS or not any(c.isalpha() for c in key):
        return None
    if len(key) < 3 and not surface.isupper() and not (len(key) == 2 and _is_cjk(key[0])):
        return None  # "ff", "ok"; two capitals are an acronym ("EU", "RU"); two CJK characters a word ("代码")
    # Adverbs ("basically", "badly") are filler; -ly nouns are listed in _LY_NOUNS.
    if len(key) >= 5 and key.endswith("ly") and key not in _LY_NOUNS:
        return None
    return key


def _is_cjk(character: str) -> bool:
    return "\u3040" <= character <= "\u30ff" or "\u3400" <= character <= "\u9fff" or "\uf900" <= character <= "\ufaff"


def chunks(text: object) -> list[list[tuple[str, str, bool, bool]]]:
    """Runs of content words in ``text``: lists of (key, surface, tentative, inner).

    The surface is the word as written (with a possessive: "Queen's").  ``tentative`` marks a
    capital that may only be the start of a sentence: a sentence's first word, unless it
    looks like part of a name (an inner capital as in "Caro-Kann", or a capitalised word
    after it in the same run, as in "Winter War").  ``inner``: another word follows in the run.
    """
    text = _URL.sub(" . ", str(text).translate(_APOSTROPHES))
    out, run, initial, sentence_start = [], [], None, True
    for word, sentence_end, clause_end in _TOKEN.findall(text):
        key = _classify(word) if word else None
        if key is None:
            if run:
                out.append(_mark_initial(run, initial))
                run, initial = [], None
            sentence_start = bool(sentence_end) or (sentence_start and not word)
            continue
        if sentence_start:
            initial, sentence_start = len(run), False
        run.append((key, word, False))
    if run:
        out.append(_mark_initial(run, initial))
    return out


def _mark_initial(run: list[tuple[str, str, bool]], initial: int | None) -> list[tuple[str, str, bool, bool]]:
    """Mark the tentative capital, and each word followed by another (inside a phrase)."""
    if initial is not None:
        key, surface, _ = run[initial]
        name_like = (surface.isupper() or any(c.isupper() for c in surface[1:])
                     or (initial + 1 < len(run) and run[initial + 1][1][:1].isupper()))
        run[initial] = (key, surface, not name_like and surface[:1].isupper())
    last = len(run) - 1
    return [(key, surface, tentative, i < last) for i, (key, surface, tentative) in enumerate(run)]


def _is_verb_like(key: str) -> bool:
    # Past participles ("rejected", "reneged") read as clauses, not subjects.
    return len(key) >= 5 and key.endswith("ed")


def show(key: str, forms: Mapping[str, tuple[str, str, bool]]) -> str:
    """The phrase with each word as most often written (``forms`` from :func:`word_forms`; ties:
    the longer spelling, so plurals win: "Taurus missiles"); a possessive is kept inside a phrase
    ("Queen's Gambit") but not at its end ("Trump")."""
    if " " not in key:
        return forms[key][0] if key in forms else "US" if key == "u.s." else key
    parts = key.split(" ")
    shown = []
    for i, part in enumerate(parts):
        alone = "US" if part == "u.s." else part
        word, inside, possessive = forms.get(part, (alone, alone, False))
        shown.append(word if i == len(parts) - 1 else inside + "'s" if possessive else inside)
    return " ".join(shown)


def word_forms(spellings: Iterable[tuple[tuple[str, str, bool, bool], int]],
               case: Mapping[str, int]) -> dict[str, tuple[str, str, bool]]:
    """key -> (spelling, spelling inside a phrase, mostly possessive?) from ``((key, surface,
    tentative, inner), count)`` pairs in order of first occurrence.  A spelling is the most
    frequent inside sentences (ties: the longer, so plurals win: "Taurus missiles"); a word
    seen only at sentence starts keeps its capital if the corpus capitalises it (``case``)."""
    firm, tentative, inner, possessive, total = {}, {}, {}, Counter(), Counter()
    for (key, surface, unsure, before), count in spellings:
        bare = _bare(surface)
        (tentative if unsure else firm).setdefault(key, Counter())[bare] += count
        if before and not unsure:
            inner.setdefault(key, Counter())[bare] += count
        total[key] += count
        if bare != surface:
            possessive[key] += count
    forms = {}
    for key in total:
        if key in firm:
            word = _most_common(firm[key])
        else:
            word = max(tentative[key].items(), key=lambda item: item[1])[0]
            word = word if case.get(key, 0) > 0 else word.lower()
        forms[key] = (word, _most_common(inner[key]) if key in inner else word,
                      2 * possessive[key] > total[key])
    return forms


def _most_common(votes: Mapping[str, int]) -> str:
    return max(votes.items(), key=lambda item: (item[1], len(item[0])))[0]


def _bare(surface: str) -> str:
    if surface.endswith("'s"):
        return surface[:-2]
    return surface[:-1] if surface.endswith("s'") else surface
