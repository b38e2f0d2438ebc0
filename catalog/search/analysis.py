"""Text analysis for Chinese product search, shared by both backends.

Chinese has no spaces, so text is cut the way Elasticsearch's ``cjk`` analyzer cuts it:
every run of Han characters gives overlapping bigrams (小米 → 小米; 牦牛肉 → 牦牛, 牛肉),
plus its single characters so that a one-character query (米) still matches. Runs of
Latin letters and digits are words. Short fields (name, category, county, brand) also get
pinyin through ``pypinyin``: for each run, the full pinyin and the initials of every
suffix that starts on a syllable (仰韶小米 → yangshaoxiaomi, shaoxiaomi, xiaomi, mi and
ysxm, sxm, xm, m), so that a prefix query finds any part of a name typed in pinyin.

A query is cut the same way. Its terms become a PostgreSQL ``tsquery`` (built here as a
literal, so no text-search parser or dictionary is involved) or an Elasticsearch query.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from pypinyin import Style, lazy_pinyin

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_RE = re.compile(rf"[{HAN}]+|[0-9a-z]+")
HAN_RE = re.compile(rf"^[{HAN}]+$")
# Words that pinyin queries are made of: a query of letters only is treated as pinyin.
LETTERS_RE = re.compile(r"^[a-z]+$")
# The share of a long Chinese run's bigrams a product must contain (Elasticsearch's
# minimum_should_match): 渑池小米 has 渑池, 池小, 小米; 池小 spans two words.
MINIMUM_SHOULD_MATCH = 0.6
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_PINYIN_RUN = 16  # longer runs (sentences) get no pinyin suffixes


def normalize(text: str | None) -> str:
    """Full-width to half-width, lower case (ＸＩＡＯ → xiao)."""
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str | None) -> list[str]:
    """Han runs and Latin/digit words of ``text``, in order; everything else separates."""
    return TOKEN_RE.findall(normalize(text))


def is_han(run: str) -> bool:
    return bool(HAN_RE.match(run))


def bigrams(run: str) -> list[str]:
    if len(run) < 2:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def text_tokens(text: str | None) -> list[str]:
    """Index tokens of free text: Han bigrams and single characters, Latin/digit words."""
    tokens: list[str] = []
    for run in runs(text):
        if is_han(run):
            tokens += bigrams(run) if len(run) > 1 else []
            tokens += list(run)
        else:
            tokens.append(run)
    return tokens


def pinyin_tokens(text: str | None) -> list[str]:
    """Full pinyin and initials of every syllable-aligned suffix of each Han run."""
    tokens: list[str] = []
    for run in runs(text):
        if not is_han(run) or len(run) > MAX_PINYIN_RUN:
            continue
        full = [s.lower() for s in lazy_pinyin(run, errors="ignore")]
        initials = [s.lower() for s in lazy_pinyin(run, style=Style.FIRST_LETTER,
                                                   errors="ignore")]
        if len(full) != len(run):  # a character without pinyin: keep what there is
            full, initials = ["".join(full)], ["".join(initials)]
        for i in range(len(full)):
            tokens.append("".join(full[i:]))
            tokens.append("".join(initials[i:]))
    return [t for t in tokens if t]


def unique(tokens):
    seen = set()
    out = []
    for token in tokens:
        if token and token not in seen:
            seen.add(token)
            out.append(token)
    return out


@dataclass
class WeightedText:
    """The text of one product, by weight: A the name, B where it comes from (category,
    pavilion, county, brand), C how it is sold (grades, variants, seller), D the rest.
    A and B also get pinyin; C and D do not (a seller's long name in pinyin is noise)."""

    a: list[str] = field(default_factory=list)
    b: list[str] = field(default_factory=list)
    c: list[str] = field(default_factory=list)
    d: list[str] = field(default_factory=list)

    def tokens(self) -> dict[str, list[str]]:
        return {
            "A": unique(t for s in self.a for t in text_tokens(s) + pinyin_tokens(s)),
            "B": unique(t for s in self.b for t in text_tokens(s) + pinyin_tokens(s)),
            "C": unique(t for s in self.c for t in text_tokens(s)),
            "D": unique(t for s in self.d for t in text_tokens(s)),
        }


def quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(text: WeightedText) -> str:
    """A ``tsvector`` in PostgreSQL's input syntax with explicit positions and weights
    (``'小米':1A 'xiaomi':2A ...``); cast with ``::tsvector``, no parser involved."""
    return tsvector_from_tokens(text.tokens())


def tsvector_from_tokens(tokens_by_weight: dict[str, list[str]]) -> str:
    parts = []
    position = 0
    for weight, tokens in tokens_by_weight.items():
        for token in tokens:
            position = min(position + 1, MAX_POSITION)
            parts.append(f"{quote(token)}:{position}{weight}")
    return " ".join(parts)


# Queries --------------------------------------------------------------------------------

@dataclass
class Clause:
    """One part of a query: ``terms`` of which at least ``minimum`` must match; ``prefix``
    terms match any token that starts with them (pinyin, words)."""

    source: str
    terms: list[str]
    minimum: int
    prefix: bool = False

    def tsquery(self) -> str:
        suffix = ":*" if self.prefix else ""
        items = [quote(t) + suffix for t in self.terms]
        if self.minimum >= len(items):
            return " & ".join(items) if len(items) == 1 else "(" + " & ".join(items) + ")"
        return "(" + " | ".join(items) + ")"


@dataclass
class ParsedQuery:
    text: str  # the normalized query
    clauses: list[Clause]

    @property
    def empty(self) -> bool:
        return not self.clauses

    def tsquery(self) -> str:
        """Every clause must match (a long Chinese run only partly: see ``counted``)."""
        return " & ".join(c.tsquery() for c in self.clauses)

    def rank_tsquery(self) -> str:
        """Any term, for ranking: products that match more terms rank higher."""
        suffix = {True: ":*", False: ""}
        return " | ".join(quote(t) + suffix[c.prefix] for c in self.clauses for t in c.terms)

    @property
    def words(self) -> list[str]:
        """Letter/digit words (matched by prefix)."""
        return [c.source for c in self.clauses if c.prefix]

    def counted(self) -> list[Clause]:
        """Clauses that match partly: how many of their terms match must be counted."""
        return [c for c in self.clauses if c.minimum < len(c.terms)]

    @property
    def han_runs(self) -> list[str]:
        return [c.source for c in self.clauses if is_han(c.source)]


def parse_query(query: str) -> ParsedQuery:
    """Cut an already cleaned query into clauses. Characters that are neither Han nor
    Latin letters or digits (quotes, ``%``, ``_``, backslashes, ``<>``, operators) only
    separate words, so nothing of the query reaches SQL or Elasticsearch as syntax."""
    clauses = []
    for run in unique(runs(query)):
        if is_han(run):
            grams = unique(bigrams(run))
            minimum = (len(grams) if len(grams) <= 2
                       else math.ceil(len(grams) * MINIMUM_SHOULD_MATCH))
            clauses.append(Clause(run, grams, minimum))
        else:
            clauses.append(Clause(run, [run], 1, prefix=True))
    return ParsedQuery(normalize(query), clauses)
