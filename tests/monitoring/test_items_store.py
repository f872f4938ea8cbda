"""Storing what a poll found: one item per news, however many feeds carry it."""
from conftest import make_org

from commsdesk.extensions import db
from commsdesk.models import Item, Source
from commsdesk.monitoring import items


def _source(org, url):
    source = Source(organisation_id=org.id, name=url, url=url)
    db.session.add(source)
    db.session.flush()
    return source


def test_the_same_news_in_two_feeds_is_one_item(app):
    org, other = make_org("mitten"), make_org("grona")
    first, second = _source(org, "https://a.example/rss"), _source(org, "https://b.example/rss")
    entry = items.Entry(link="https://gp.example/n/1?utm_source=rss#x", title="Förskolan",
                        summary_html='<p onclick="x()">Hej<script>alert(1)</script></p>')
    new, _ = items.store(first, [entry, entry])
    assert len(new) == 1 and new[0].summary_html == "<p>Hej</p>"
    again = items.Entry(link="https://GP.example/n/1", title="Förskolan")
    assert items.store(second, [again]) == ([], [])
    assert items.store(_source(other, "https://a.example/rss"), [again])[0]
    db.session.commit()
    assert db.session.query(Item).filter_by(organisation_id=org.id).count() == 1


def test_a_changed_pdf_is_read_again(app):
    org = make_org("mitten")
    source = _source(org, "https://kommun.example/handlingar")
    pdf = items.Entry(link="https://kommun.example/k.pdf", kind="pdf", content_hash="a",
                      pages=["sida ett"], text="sida ett")
    new, _ = items.store(source, [pdf])
    new[0].state = "archived"
    pdf.content_hash, pdf.pages = "b", ["sida ett", "förskola"]
    _, changed = items.store(source, [pdf])
    assert changed == new and changed[0].pages == ["sida ett", "förskola"]
    assert changed[0].state == "new"
