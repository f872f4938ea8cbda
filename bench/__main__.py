"""python -m bench: run the benchmarks below (see bench/__init__.py)."""

from bench import api, documents, media, runner, search

# Each concern's benchmark, in the order of the table; a new concern adds one line here.
BENCHMARKS = [documents.BENCHMARK, search.BENCHMARK, api.BENCHMARK, media.BENCHMARK]

runner.main(BENCHMARKS)
