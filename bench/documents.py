"""The document list (first page, a middle page, a kind and tag filter) and the dashboard."""

from bench.runner import Benchmark, request

PER_PAGE = 25  # the web list's page size (commsdesk.web.documents.PER_PAGE)
FILTER_KIND, FILTER_TAG = "press_release", "Skola"
FILTERED = f"/documents?kind={FILTER_KIND}&tag={FILTER_TAG}"


def middle_page(n):
    """Page 200 of 400 at 10,000 documents; page 2 of 4 at 100."""
    return max(1, -(-n // PER_PAGE) // 2)


def check(size):
    """The filter must pick some of the documents, not none or all."""
    filtered = size.get(f"/api/v1{FILTERED}", api=True).get_json()["total"]
    if not 0 < filtered < size.visible:
        raise SystemExit(f"bench: the filter found {filtered} of {size.visible}")
    return {"filter_matches": filtered}


BENCHMARK = Benchmark(
    "documents",
    (
        request("list: first page", "/documents"),
        request(
            "list: middle page",
            lambda n: f"/documents?page={middle_page(n)}",
            note=lambda n: f"p{middle_page(n)}",
        ),
        request(f"list: kind={FILTER_KIND} tag={FILTER_TAG}", FILTERED),
        request("dashboard", "/"),
    ),
    check=check,
)
