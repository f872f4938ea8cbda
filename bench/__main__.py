"""python -m bench: run the benchmarks below (see bench/__init__.py)."""
import json
import sys

from bench import (
    api,
    documents,
    fulltext,
    media,
    members,
    newsletter,
    newsroom,
    report,
    runner,
    search,
    served,
    social,
)

# Each concern's benchmark, in the order of the table; a new concern adds one line here.
BENCHMARKS = [documents.BENCHMARK, search.BENCHMARK, api.BENCHMARK, media.BENCHMARK]
# Concerns with a runner of their own: served by gunicorn and loaded by wrk, sent by worker
# processes, or imported from a file; each against a baseline measured in the same run.
SERVED = {"newsroom": newsroom.run, "social": social.run, "newsletter": newsletter.run,
          "members": members.run, "fulltext": fulltext.run}
# How each served concern prints its rows (default: served.print_rows).
PRINTERS = {"social": social.print_rows, "newsletter": newsletter.print_rows,
            "members": members.print_rows, "fulltext": fulltext.print_rows}


def split(argv):
    """The arguments for the size benchmarks, and the served concerns to run."""
    only = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--only"]
    chosen = [n for n in only if n in SERVED] if only else list(SERVED)
    rest, skip = [], False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg == "--only" and i + 1 < len(argv) and argv[i + 1] in SERVED:
            skip = True
            continue
        rest.append(arg)
    sized = not only or any(n not in SERVED for n in only)
    return rest, sized, chosen


rest, sized, chosen = split(sys.argv[1:])
if sized:
    runner.main(BENCHMARKS, rest)
for name in chosen:
    rows = SERVED[name](quick="--quick" in rest)
    PRINTERS.get(name, served.print_rows)(rows)
    path = report.RESULTS.with_name(f"served-{name}.json")
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(rows, indent=2))
    print(f"written {path}")
