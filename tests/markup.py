"""Checking rendered HTML the way a browser would read it: no live hostile markup."""
from html.parser import HTMLParser

LIVE_TAGS = {"svg", "iframe", "img", "object", "embed"}


class LiveMarkup(HTMLParser):
    """Collects what a browser would treat as live: script, svg, img, handlers, script URLs.
    Escaped text such as &lt;svg onload=…&gt; is harmless and not collected."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in LIVE_TAGS or (tag == "script" and not dict(attrs).get("src")):
            self.problems.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src", "action"} and value and \
                    value.strip().lower().startswith(("javascript:", "data:")):
                self.problems.append(f"{tag}[{name}={value}]")


def assert_clean(page):
    """No live hostile markup anywhere in the page."""
    parser = LiveMarkup()
    parser.feed(page)
    assert parser.problems == []
