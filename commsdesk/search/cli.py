"""`flask search reindex`: rebuild the search index from every document and item."""
import time

import click
from flask.cli import with_appcontext

from .index import reindex_all


@click.group("search", help="The full-text search index.")
def search_group():
    pass


@search_group.command("reindex", help="Rebuild the search index from all documents and items.")
@with_appcontext
def reindex():
    started = time.perf_counter()
    counts = reindex_all()
    click.echo(f"Indexed {counts['documents']} documents and {counts['items']} items in "
               f"{time.perf_counter() - started:.1f} s.")
