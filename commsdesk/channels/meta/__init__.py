"""Meta's platforms: a Facebook Page, an Instagram professional account and a Threads
account, each a channel of its own (one module each) over the shared Graph API transport in
graph.py."""
from .facebook import FacebookPageAdapter
from .instagram import InstagramAdapter
from .threads import ThreadsAdapter

__all__ = ["FacebookPageAdapter", "InstagramAdapter", "ThreadsAdapter"]
