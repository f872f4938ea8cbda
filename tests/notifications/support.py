"""Helpers shared by the notification and preview-link tests: hostile text, email parts."""

HOSTILE = ('<script>alert(1)</script><img src=x onerror="alert(2)">'
           '<svg onload=alert(3)><a href="javascript:alert(4)">x</a>')


def parts(message):
    """(text part, html part) of a received email, decoded."""
    text = html = None
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return text, html


def subject(message):
    """The decoded Subject header."""
    from email.header import decode_header, make_header

    return str(make_header(decode_header(message["Subject"])))


def live_markup(html):
    """The elements and attributes a browser would build from the HTML: [(tag, attrs)]."""
    from html.parser import HTMLParser

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
