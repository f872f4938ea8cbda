"""The API's document list, a hundred to a page."""

from bench.runner import Benchmark, request

BENCHMARK = Benchmark(
    "api",
    (request("api: list per_page=100", "/api/v1/documents?per_page=100", api=True),),
)
