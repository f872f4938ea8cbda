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


def test_the_same_link_under_another_guid_is_the_same_news_but_a_front_page_is_not(app):
    org = make_org("mitten")
    politics, local = _source(org, "https://gp.example/politik.rss"), _source(
        org, "https://gp.example/lokalt.rss")
    first = items.Entry(guid="politik-17", link="https://gp.example/n/17?utm_medium=rss",
                        title="Budgeten klar")
    assert len(items.store(politics, [first])[0]) == 1
    same = items.Entry(guid="lokalt-903", link="https://gp.example/n/17", title="Budgeten klar")
    twice = items.Entry(guid="lokalt-904", link="https://gp.example/n/17#kommentarer")
    assert items.store(local, [same, twice]) == ([], [])
    front = [items.Entry(guid=f"kommun-{n}", link="https://kommun.example/", title=f"Nyhet {n}")
             for n in range(2)]
    assert len(items.store(local, front)[0]) == 2
    db.session.commit()
    stored = db.session.query(Item).filter_by(organisation_id=org.id).all()
    assert sorted(i.link for i in stored) == ["https://gp.example/n/17",
                                              "https://kommun.example/", "https://kommun.example/"]
