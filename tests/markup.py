"""Hostile input, and checking rendered HTML the way a browser would read it: no live
hostile markup."""
from html.parser import HTMLParser

# Markup that must never come alive, in one string (names, comments, notification texts).
HOSTILE = ('<script>alert(1)</script><img src=x onerror="alert(2)">'
           '<svg onload=alert(3)><a href="javascript:alert(4)">x</a>')
# Markdown and HTML an author might type, one attack each (the renderer's test cases).
HOSTILE_MARKDOWN = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick](java&#x09;script:alert(1))",
    "[klick](&#106;avascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<p onclick=alert(1)>x</p>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<form action="https://evil.example"><input name=a></form>',
]


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


def live_markup(html):
    """The elements and attributes a browser would build from the HTML: [(tag, attrs)]."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector(convert_charrefs=True).feed(html)
    return found


def assert_inert(html, allowed_tags):
    """No element outside allowed_tags, no event handler, no javascript: link."""
    for tag, attrs in live_markup(html):
        assert tag in allowed_tags, f"<{tag}> in {html[:300]}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} on <{tag}>"
            assert not (value or "").strip().lower().startswith("javascript:"), value
