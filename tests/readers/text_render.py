"""Render reply trees as the plain-text copies people make (layouts a-f of issue 16), for the tests.

A tree is the list tests/readers/test_round_trips.py draws: comments in page order, each with
``depth``, ``parent``, ``author``, ``paragraphs`` and ``time`` (unix seconds).
"""

from datetime import datetime, timezone

#: Date forms a copy may show; each comment uses the next one (times to the minute).
DATE_FORMS = [
    lambda t: f"{t:%B} {t.day}, {t:%Y} at {t.hour % 12 or 12}:{t:%M} {'pm' if t.hour >= 12 else 'am'}",
    lambda t: f"{t.day} {t:%B} {t:%Y} at {t:%H:%M}",
    lambda t: f"{t:%Y-%m-%d %H:%M}",
    lambda t: f"{t:%b} {t.day}, {t:%Y} at {t.hour % 12 or 12}:{t:%M} {'PM' if t.hour >= 12 else 'AM'}",
    lambda t: f"{t:%A}, {t:%B} {t.day}, {t:%Y} at {t:%H:%M}",
    lambda t: f"{t:%m/%d/%Y} at {t.hour % 12 or 12}:{t:%M} {'pm' if t.hour >= 12 else 'am'}",
]


def stamp(seconds):
    return datetime.fromtimestamp(seconds, timezone.utc)


def numbers(tree):
    """Each comment's list number among its siblings, as an ordered list numbers them."""
    counts, out = {}, []
    for comment in tree:
        counts[comment["parent"]] = counts.get(comment["parent"], 0) + 1
        out.append(counts[comment["parent"]])
    return out


def render(tree, *, numbered=True, says=False, dated=False, reply=True, indent="  ", top=True, flat=False,
           line_end="\n", trailing="", decorations=(), header=None, post_author=None):
    """One copy of ``tree``.

    ``indent`` is one level (a string, or a list cycled over the levels for mixed indentation);
    ``top`` indents top-level comments one level (as Firefox does); ``flat`` drops all indentation;
    ``decorations`` are lines added to every comment before its "Reply" (e.g. "Like", "Loading...").
    """
    levels = indent if isinstance(indent, list) else [indent]

    def pad(depth):
        if flat:
            return ""
        return "".join(levels[i % len(levels)] for i in range(depth if top else depth - 1))

    out = header if header is not None else ["A Post About Things", "", "Some article text, then the comments.", "",
                                             f"{len(tree)} comments", ""]
    out = list(out)
    for i, (comment, number) in enumerate(zip(tree, numbers(tree))):
        here, body = pad(comment["depth"]), pad(comment["depth"] + 1) if not (says or dated) else pad(comment["depth"])
        name = comment["author"] + (" Post author" if comment["author"] == post_author else "")
        name = f"{name} says:" if says else name
        out += [here + (f"{number}. {name}" if numbered else name)]
        if dated:
            out += [here + DATE_FORMS[i % len(DATE_FORMS)](stamp(comment["time"]))]
        out += [""]
        for paragraph in comment["paragraphs"]:
            out += [body + line + trailing for line in paragraph] + [""]
        for extra in decorations:
            out += [body + extra, ""]
        if reply:
            out += [body + "Reply" + trailing, ""]
    out += ["Leave a Reply", "Your email address will not be published.", ""]
    return line_end.join(out)


def minute(seconds):
    """The time a copy shows: to the minute."""
    return seconds - seconds % 60
