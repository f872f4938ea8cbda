"""Word forms: Snowball stemming for Swedish, Norwegian and English, so that "förskola" finds
"förskolan" and "förskolor". Watch lists and search both match through these functions, so
a word found by one is found by the other.

A term in double quotes is an exact phrase (its words as written, any case); other terms
match on stems, several words in sequence."""
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from markupsafe import Markup, escape

# The organisation's language (branding) → the Snowball algorithm.
ALGORITHMS = {"sv": "swedish", "nb": "norwegian", "nn": "norwegian", "no": "norwegian",
              "da": "danish", "en": "english"}
WORD_RE = re.compile(r"\w+", re.UNICODE)
TERM_RE = re.compile(r'"([^"]*)"|([^,;\n]+)')
_local = threading.local()


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    word: str   # lower-case
    stem: str


@dataclass(frozen=True)
class Term:
    text: str          # as the user wrote it (without quotes)
    phrase: bool       # exact words, no stemming
    keys: tuple        # the stems (or, for a phrase, the lower-case words) in sequence


def _stemmer(algorithm):
    # Snowball stemmers keep state while stemming: one per thread and language.
    cache = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    if algorithm not in cache:
        cache[algorithm] = snowballstemmer.stemmer(algorithm)
    return cache[algorithm]


@lru_cache(maxsize=65536)
def stem(word, language="sv"):
    """The stem of one word (lower-cased) in the language."""
    word = word.lower()
    algorithm = ALGORITHMS.get(language, "swedish")
    result = _stemmer(algorithm).stemWord(word)
    # Swedish Snowball leaves the definite "-an" (skolan, förskolan) on: take it off so
    # that it meets the stem of "skola" and "skolor".
    if algorithm == "swedish" and len(result) >= 6 and result.endswith("an"):
        result = result[:-2]
    return result


def tokens(text, language="sv"):
    """The words of a text with their places and stems."""
    return [Token(m.start(), m.end(), m.group().lower(), stem(m.group(), language))
            for m in WORD_RE.finditer(text or "")]


def stems(text, language="sv"):
    """The stems of a text's words, space-separated (what a search index stores)."""
    return " ".join(t.stem for t in tokens(text, language))


def parse_terms(raw, language="sv"):
    """Terms from a list of strings or one string separated by commas, semicolons or lines;
    double quotes make an exact phrase. Empty terms are dropped, duplicates once."""
    if isinstance(raw, str):
        raw = [raw]
    found, seen = [], set()
    for chunk in raw:
        for quoted, plain in TERM_RE.findall(chunk or ""):
            text = (quoted if quoted else plain).strip()
            words = [w.lower() for w in WORD_RE.findall(text)]
            if not words:
                continue
            phrase = bool(quoted)
            keys = tuple(words) if phrase else tuple(stem(w, language) for w in words)
            if (phrase, keys) in seen:
                continue
            seen.add((phrase, keys))
            found.append(Term(text=text, phrase=phrase, keys=keys))
    return found


def find(text, terms, language="sv", toks=None):
    """Where the terms occur: a sorted list of (start, end, term), not overlapping."""
    toks = toks if toks is not None else tokens(text, language)
    spans = []
    for term in terms:
        size = len(term.keys)
        for i in range(len(toks) - size + 1):
            window = toks[i:i + size]
            got = tuple(t.word for t in window) if term.phrase else tuple(t.stem for t in window)
            if got == term.keys:
                spans.append((window[0].start, window[-1].end, term))
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept, end = [], -1
    for span in spans:
        if span[0] >= end:
            kept.append(span)
            end = span[1]
    return kept


def highlight(text, spans):
    """The text, escaped, with each span in <mark>."""
    out, at = [], 0
    for start, end, _term in spans:
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def snippet(text, spans, width=160):
    """About `width` characters around the first span, highlighted, with ellipses where cut."""
    text = text or ""
    if not spans:
        cut = text[:width]
        return escape(cut + ("…" if len(text) > width else ""))
    first = spans[0]
    start = max(0, first[0] - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first[0] else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", first[1], end)
        end = space if space > first[1] else end
    inside = [(s - start, e - start, t) for s, e, t in spans if s >= start and e <= end]
    return (Markup("…" if start else "") + highlight(text[start:end], inside)
            + Markup("…" if end < len(text) else ""))
