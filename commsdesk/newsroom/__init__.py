"""The newsroom: an organisation's public pages, feeds and sitemap, built from the sent
publications of its website channel (never from drafts, queued, embargoed or withdrawn texts)."""
from .cache import generation, pages, site
from .feeds import feed
from .texts import (
    GROUPS,
    MAX_QUERY,
    PER_PAGE,
    PublicText,
    absolute,
    everything,
    latest,
    month,
    months,
    organisation,
    published_slugs,
    search,
    srcset,
    tag_name,
    tagged,
    text,
)

__all__ = ["GROUPS", "MAX_QUERY", "PER_PAGE", "PublicText", "absolute", "everything", "feed",
           "generation", "latest", "month", "months", "organisation", "pages", "published_slugs",
           "search", "site", "srcset", "tag_name", "tagged", "text"]
