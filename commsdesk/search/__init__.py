"""One search over documents and monitored items."""


def index_items(items):
    """Put these items into the search index (adds rows; the caller commits)."""
    return None
