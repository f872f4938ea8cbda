"""Searching the documents for a word that a topic's documents use."""

from bench.runner import Benchmark, request

SEARCH_WORD = "kollektivtrafiken"  # only in the transport topic: roughly one document in eight


def check(size):
    """The search must find some of the documents, not none or all."""
    found = size.get(f"/api/v1/documents?q={SEARCH_WORD}", api=True).get_json()["total"]
    if not 0 < found < size.visible:
        raise SystemExit(f"bench: search found {found} of {size.visible}")
    return {"search_matches": found}


BENCHMARK = Benchmark(
    "search",
    (request(f"list: search q={SEARCH_WORD}", f"/documents?q={SEARCH_WORD}"),),
    check=check,
)
