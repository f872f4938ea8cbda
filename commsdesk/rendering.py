"""The one Markdown renderer: python-markdown, then nh3 keeps only safe HTML."""
import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul", "del", "s",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
EXTENSIONS = ["extra", "sane_lists", "smarty"]


def render_markdown(text):
    """Markdown to sanitised HTML, as used by preview, website, email and exports."""
    return sanitise_html(markdown.markdown(text or "", extensions=EXTENSIONS,
                                           output_format="html"))


def sanitise_html(html):
    """Foreign HTML (a feed item's summary) reduced to the same safe subset, as HTML."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
