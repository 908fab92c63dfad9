"""Reference readings for the mention and quote tests: the plain one-thread-at-a-time scan that the
whole-table shortcuts must agree with, and random comment threads to compare them on."""

import random
import re
import unicodedata

import pandas as pd

from discourse.network.mentions import NameIndex
from discourse.network.quotes import quotes_in_thread
from discourse.model.tree import complete_tree

WORD = re.compile(r"\w+")


# -- the plain reading, one thread at a time -------------------------------------------------

def plain_scan(comments, kinds, only=None):
    """Records and addressees as the per-thread reading gives them (records name comments by
    their row in ``comments``, -1 for no target comment)."""
    records, addressees = [], {}
    row_of = {comment_id: row for row, comment_id in enumerate(comments["comment_id"])}
    real = comments[~comments["is_placeholder"] & comments["author"].notna()]
    real = real.assign(text=[unicodedata.normalize("NFC", text) for text in real["text"]])  # names compared in NFC
    for thread_id, thread in real.groupby("thread_id", sort=False):
        texts = thread["text"].tolist()
        vocabulary = set(WORD.findall("\n".join(texts)))
        names = NameIndex(pd.unique(thread["author"]), lambda words: words & vocabulary)
        for comment_id, author, text in zip(thread["comment_id"], thread["author"], texts):
            if only is not None and comment_id not in only:
                continue
            named, addressee = names.scan(text)
            if addressee is not None:
                addressees[comment_id] = addressee
            if "mention" in kinds:
                records.extend((author, target, "mention", True, row_of[comment_id], -1)
                               for target in dict.fromkeys(named) if target != author)
        if "quote" in kinds:
            ordered = thread.assign(_pos=range(len(thread)))
            if ordered["created_at"].notna().all():
                ordered = ordered.sort_values(["created_at", "_pos"], kind="stable")
            rows = ordered[["comment_id", "author", "text", "_pos"]].to_dict("records")
            for i, writers in sorted(quotes_in_thread([r["text"] for r in rows]).items()):
                seen = set()
                for j in sorted(writers, key=lambda j: rows[j]["_pos"]):
                    if rows[j]["comment_id"] not in seen:
                        seen.add(rows[j]["comment_id"])
                        if rows[i]["author"] != rows[j]["author"]:
                            records.append((rows[i]["author"], rows[j]["author"], "quote", True,
                                            row_of[rows[i]["comment_id"]], row_of[rows[j]["comment_id"]]))
    return records, addressees


AUTHORS = ["The Rev Kev", "Aurelien", "Yves Smith", "eg", "Random", "Who Cares", "Ann", "DJG, Reality Czar",
           "Σοφία", "Zoë Ωmega", "Bertrand", "bertrand"]
WORDS = ("the plan is sound budget numbers random Random Aurelien Aurelian aurelien Aurelieu Rev Kev The Yves "
         "eg Smith who cares Who Cares Ann DJG café İstanbul ΣΟΦΙΑΣ naïve Zoë Bertrand bertrand Bertrant "
         "extraordinary circumstances unprecedentedly happened yesterday I see no peace for Russia to win").split() + [
    "Zoe\u0308", "cafe\u0301", "Σοφι\u0301α", "Aure\u0301lien"]  # NFD spellings: compared in NFC
SENTENCES = ["Unprecedentedly extraordinary circumstances happened yesterday.",
             "Nobody anticipated such remarkable consequences afterwards!",
             "Extraordinary circumstances demand extraordinary responses?",
             "Parliamentary procedures complicate everything considerably."]
MARKS = [".", ",", ":", "!", "?", "\n", "\n> ", "“", "”", "\"", "@", "‘", "’", "'s", "…", " - "]


def random_threads(seed, threads=6):
    """Comment tables with names, addresses, quotation marks and copied passages."""
    rng = random.Random(seed)
    tables = []
    for t in range(threads):
        rows, texts = [], []
        for i in range(rng.randrange(1, 25)):
            if texts and rng.random() < 0.3:  # copy a passage of an earlier comment
                source = rng.choice(texts) or "empty"
                start = rng.randrange(len(source))
                passage = source[start:start + rng.randrange(20, 120)]
                text = rng.choice(["", "As said: ", "“", "> "]) + passage + rng.choice(["", "”", " indeed."])
            else:
                parts = []
                for _ in range(rng.randrange(0, 40)):
                    parts.append(rng.choice(WORDS) if rng.random() < 0.75 else rng.choice(MARKS))
                    parts.append(" " if rng.random() < 0.8 else "")
                text = "".join(parts)
            if rng.random() < 0.3:  # a short sentence, or a sentence in it
                sentence = rng.choice(SENTENCES)
                if rng.random() < 0.3:
                    sentence = sentence.replace(" ", " " + rng.choice(WORDS) + " ", 1)
                text = rng.choice(["", "“", "Well. ", "So\n"]) + sentence + rng.choice(["", " ", "”", " and more"]) + text
            if rng.random() < 0.2:
                text = rng.choice(AUTHORS) + rng.choice([": ", ", ", " "]) + text
            if rng.random() < 0.1:
                text = "@" + rng.choice(AUTHORS).split()[-1] + " " + text
            texts.append(text)
            parent = rng.choice([None, None, "gone", *[r[0] for r in rows]])
            rows.append((f"t{t}c{i}", parent, rng.choice(AUTHORS + [None]), text))
        table = pd.DataFrame(rows, columns=["comment_id", "parent_id", "author", "text"]).assign(thread_id=f"t{t}")
        if rng.random() < 0.7:
            times = pd.Series(pd.to_datetime([f"2024-01-0{rng.randrange(1, 4)}" for _ in rows], utc=True))
            if rng.random() < 0.3:
                times[rng.randrange(len(rows))] = pd.NaT
            table["created_at"] = times
        tables.append(table)
    table = pd.concat(tables, ignore_index=True)
    table["parent_id"] = [p if p is None or p == "gone" else p for p in table["parent_id"]]
    table.loc[table["parent_id"] == "gone", "parent_id"] = [f"gone{i}" for i in range((table["parent_id"] == "gone").sum())]
    return complete_tree(table)
