"""Deterministic filler text for the demo blog: titles, post bodies, comments, names."""

from __future__ import annotations

import html
import random
import re
import unicodedata

WORDS = (
    "archive server garden morning theory river kernel music window paper street coffee "
    "winter summer letter bridge engine language memory signal pattern island station "
    "market village harbor forest mountain question answer history number system method "
    "project version library compiler browser network table chapter journey picture "
    "student teacher friend neighbour evening weekend holiday recipe bread cheese tomato "
    "bicycle train ticket camera lens shadow light colour silence voice story reader "
    "writer notebook pencil keyboard screen cable battery update release feature bug "
    "patch review comment draft outline problem solution example lecture proof lemma "
    "graph matrix vector function series limit integral prime field ring group"
).split()
VERBS = (
    "builds finds keeps moves opens reads writes breaks fixes shows takes brings leaves "
    "turns changes follows explains remembers misses measures compares tests loads"
).split()
BASE_VERBS = ("built", "found", "fixed", "tested", "moved", "lost", "rewrote", "kept")
ADJECTIVES = (
    "small quiet early late strange simple careful broken patient bright narrow old new "
    "slow quick honest curious useful hidden obvious gentle long short lovely odd"
).split()
FOREIGN = (
    "café",
    "naïve",
    "Zürich",
    "résumé",
    "façade",
    "jalapeño",
    "smörgåsbord",
    "Dvořák",
    "Łódź",
    "São Paulo",
    "crème brûlée",
    "Ελληνικά",
    "日本語",
    "Straße",
    "déjà vu",
    "fiancée",
    "Ålesund",
    "piñata",
)
_POOL = (*WORDS, *WORDS, *WORDS, *ADJECTIVES, *FOREIGN)
CURLY = ("“quoted”", "it’s", "don’t", "1990–1995", "wait — really", "€20", "… and so on")
FIRST_NAMES = (
    "Anna Bruno Chloé Dmitri Elena Farid Greta Hiro Inés José Kasia Lars Maëlle Nikolai "
    "Olga Pedro Quentin Rosa Søren Tomasz Uma Viktor Wen Yusuf Zoë Łukasz"
).split()
LAST_NAMES = (
    "Smith Müller García Rossi Novák Kowalski Dubois Jensen Tanaka O’Brien Silva Ivanova "
    "Fernández Lindqvist Moreau Nakamura Schäfer Petrović"
).split()
CATEGORIES = (
    "Uncategorized",
    "Travel",
    "Programming",
    "Mathematics",
    "Food & Drink",
    "Books",
    "Photography",
    "Life",
)
TAGS = (
    "python linux teaching paris winter bread git latex cycling reading notes conference "
    "recipes family photos vim emacs statistics algebra music café"
).split()
CODE_SNIPPETS = (
    'for (int i = 0; i < n; i++) {\n    sum += a[i] * b[i];\n}\nprintf("%d\\n", sum);',
    "def mean(xs):\n    return sum(xs) / len(xs) if xs else 0.0\n\nprint(mean([1, 2, 3]))",
    "$ tar xzf backup.tar.gz && cd backup\n$ grep -r 'TODO' . | wc -l",
    "SELECT title, COUNT(*) AS n\n  FROM posts JOIN comments USING (post_id)\n GROUP BY title;",
    'if x < 10 && y > 3 {\n    return "<small>";\n}',
)
EXTERNAL = (
    "http://www.python.org/",
    "http://en.wikipedia.org/wiki/Prime_number",
    "http://www.gnu.org/software/emacs/",
    "http://arxiv.org/abs/0810.1234",
    "http://www.flickr.com/photos/example/123456/",
)


def person(rng: random.Random) -> str:
    """A name, often with non-ASCII letters."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def sentence(rng: random.Random, *, curly: float = 0.1) -> str:
    """One plain-text sentence (not escaped)."""
    words = rng.choices(_POOL, k=rng.randint(6, 15))
    words[2] = rng.choice(VERBS)
    if rng.random() < curly:
        words.insert(rng.randint(1, len(words)), rng.choice(CURLY))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def inline_html(rng: random.Random, links: list[str], *, curly: float = 0.1) -> str:
    """A few sentences as escaped inline HTML, with some emphasis and links."""
    parts = []
    for _ in range(rng.randint(2, 5)):
        s = html.escape(sentence(rng, curly=curly), quote=False)
        roll = rng.random()
        if roll < 0.12:
            w = s.split(" ")
            k = rng.randrange(1, len(w))
            w[k] = f"<em>{w[k]}</em>"
            s = " ".join(w)
        elif roll < 0.2:
            w = s.split(" ")
            k = rng.randrange(1, len(w))
            w[k] = f"<strong>{w[k]}</strong>"
            s = " ".join(w)
        elif roll < 0.32 and links:
            href = rng.choice(links)
            s += f' See <a href="{html.escape(href)}">{rng.choice(WORDS)} notes</a>.'
        parts.append(s)
    return " ".join(parts)


def title(rng: random.Random) -> str:
    """A post title (plain text)."""
    a, n1, n2 = rng.choice(ADJECTIVES), rng.choice(WORDS), rng.choice(WORDS)
    forms = (
        f"On the {a} {n1}",
        f"Notes on {n1} and {n2}",
        f"A {a} {n1} in {rng.choice(FOREIGN)}",
        f"Why the {n1} {rng.choice(VERBS)} the {n2}",
        f"{n1.capitalize()}, {n2} & other things",
        f"The {n1} problem, part {rng.randint(2, 9)}",
        f"{rng.choice(FOREIGN).capitalize()} {n1} diary",
        f"How I {rng.choice(BASE_VERBS)} my {n1}",
    )
    return rng.choice(forms)


def comment_html(rng: random.Random, *, curly: float = 0.1) -> str:
    """A comment body as it appears on the page: one to three paragraphs."""
    return "\n".join(
        f"<p>{inline_html(rng, [], curly=curly)}</p>" for _ in range(rng.choice((1, 1, 1, 2, 3)))
    )


def ascii_fold(text: str) -> str:
    """Accents removed (WordPress ``remove_accents``-like)."""
    text = text.replace("ß", "ss").replace("Ł", "L").replace("ł", "l").replace("Ø", "O")
    text = text.replace("ø", "o").replace("æ", "ae").replace("Æ", "AE").replace("œ", "oe")
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c))


def slugify(text: str, *, max_len: int = 200) -> str:
    """WordPress-style slug: folded to ASCII, lower case, hyphens."""
    s = ascii_fold(text).lower().replace("&", "")
    s = re.sub(r"[^a-z0-9]+", "-", s.encode("ascii", "ignore").decode()).strip("-")
    return s[:max_len].strip("-") or "post"


def blogger_slug(text: str) -> str:
    """Blogger-style slug: the first words, ASCII letters only, at most ~40 characters."""
    words = [w for w in slugify(text).split("-") if w and w not in ("a", "the", "and", "of")]
    out: list[str] = []
    for w in words:
        if len("-".join([*out, w])) > 40:
            break
        out.append(w)
    return "-".join(out) or "post"
