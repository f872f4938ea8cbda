"""The newsroom's pages: only public texts, per kind group, tag, search and month; 404 and
410; hostile titles and tags stay inert."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from conftest import make_document, make_org, make_user, publish_now
from markup import HOSTILE, assert_clean

from commsdesk import workflow
from commsdesk.models import utcnow

from .conftest import approved, path_of, published


def test_home_lists_published_texts_and_nothing_else(client, world):
    out = published(world, title="Ute i världen", lead="Ingressen")
    draft = approved(world, title="Bara godkänd")
    scheduled = approved(world, title="Schemalagd")
    workflow.schedule(world.editor, scheduled, utcnow() + timedelta(hours=1))
    page = client.get("/n/mitten/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ute i världen" in html and "Ingressen" in html and path_of(out) in html
    assert "Bara godkänd" not in html and "Schemalagd" not in html
    assert client.get(f"/n/mitten/{draft.id}-bara-godkand").status_code == 404
    assert client.get(f"/n/mitten/{scheduled.id}-schemalagd").status_code == 404


def test_text_page_shows_everything_a_reader_needs(client, world):
    doc = published(world, kind="op_ed", title="Bussarna", lead="Ingress om bussar",
                    fields={"published_in": "Älvstads Tidning",
                            "published_url": "https://tidning.example/debatt/1"},
                    tags=["kollektivtrafik"])
    html = client.get(path_of(doc)).get_data(as_text=True)
    assert '<html lang="sv">' in html
    assert "<h1 id=\"text-title\">Bussarna</h1>" in html
    assert 'href="https://tidning.example/debatt/1"' in html and "Älvstads Tidning" in html
    assert '<link rel="canonical" href="http://localhost' + path_of(doc) + '">' in html
    assert '<meta property="og:title" content="Bussarna">' in html
    assert 'name="twitter:card"' in html
    assert "/n/mitten/tag/kollektivtrafik" in html
    assert '<a class="skip" href="#main">' in html and '<main id="main"' in html


def test_a_link_that_is_no_web_address_is_not_a_link(client, world):
    doc = published(world, kind="letter", title="Insändare",
                    fields={"published_in": "Tidningen", "published_url": "javascript:alert(1)"})
    html = client.get(path_of(doc)).get_data(as_text=True)
    assert "Tidningen" in html and "javascript:" not in html


def test_press_release_shows_contact(client, world):
    doc = published(world, title="PM", fields={"contact": "Amir Hassan\n070-123 45 67"})
    html = client.get(path_of(doc)).get_data(as_text=True)
    assert "Amir Hassan<br>070-123 45 67" in html


def test_groups_separate_news_from_opinion(client, world):
    published(world, kind="press_release", title="Pressmeddelandet")
    published(world, kind="op_ed", title="Debattartikeln")
    news = client.get("/n/mitten/news").get_data(as_text=True)
    opinion = client.get("/n/mitten/opinion").get_data(as_text=True)
    assert "Pressmeddelandet" in news and "Debattartikeln" not in news
    assert "Debattartikeln" in opinion and "Pressmeddelandet" not in opinion


def test_tag_search_and_archive(client, world):
    doc = published(world, title="Förskolor i Åby", body="Trehundra platser", tags=["förskola"])
    published(world, title="Annat", body="Något annat", tags=["budget"])
    tagged = client.get("/n/mitten/tag/förskola").get_data(as_text=True)
    assert "Förskolor i Åby" in tagged and "Annat" not in tagged
    assert client.get("/n/mitten/tag/okänd").status_code == 404
    found = client.get("/n/mitten/search?q=trehundra").get_data(as_text=True)
    assert "Förskolor i Åby" in found and ">Annat<" not in found
    archive = client.get("/n/mitten/archive").get_data(as_text=True)
    when = doc.updated_at.astimezone(ZoneInfo("Europe/Stockholm"))
    month_path = f"/n/mitten/archive/{when.year:04d}/{when.month:02d}"
    assert month_path in archive
    month = client.get(month_path).get_data(as_text=True)
    assert "Förskolor i Åby" in month and "Annat" in month
    assert client.get("/n/mitten/archive/2001/01").status_code == 200
    assert "Förskolor" not in client.get("/n/mitten/archive/2001/01").get_data(as_text=True)


def test_withdrawn_text_answers_410_and_leaves_the_lists(client, world):
    doc = published(world, title="Gammalt besked")
    path = path_of(doc)
    assert client.get(path).status_code == 200
    workflow.withdraw(world.editor, doc)
    gone = client.get(path)
    assert gone.status_code == 410
    assert "Gammalt besked" not in gone.get_data(as_text=True)
    assert "Gammalt besked" not in client.get("/n/mitten/").get_data(as_text=True)
    assert "Gammalt besked" not in client.get("/n/mitten/feed.rss").get_data(as_text=True)


def test_unknown_and_other_organisations_texts_are_404(client, world):
    other_org = make_org("grona")
    other = make_user(other_org, "editor")
    other_approver = make_user(other_org, "approver")
    doc = make_document(other, title="Grönt")
    workflow.submit(other, doc)
    workflow.approve(other_approver, doc)
    publish_now(other, doc)
    assert client.get(path_of(doc)).status_code == 200
    assert client.get(f"/n/mitten/{doc.id}-gront").status_code == 404
    assert client.get("/n/mitten/999999-nothing").status_code == 404
    assert client.get("/n/nobody/").status_code == 404
    assert "Grönt" not in client.get("/n/mitten/").get_data(as_text=True)


def test_hostile_titles_tags_and_leads_are_inert(client, world):
    doc = published(world, title=HOSTILE, lead=HOSTILE, tags=["<svg onload=alert(1)>"],
                    fields={"contact": HOSTILE})
    for url in ("/n/mitten/", path_of(doc), "/n/mitten/news", "/n/mitten/search?q=alert",
                "/n/mitten/tag/" + "%3Csvg%20onload%3Dalert(1)%3E"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(response.get_data(as_text=True))
    assert_clean(client.get("/n/mitten/search?q=" + HOSTILE).get_data(as_text=True))


def test_phone_friendly_markup_and_theme_stylesheet(client, world):
    html = client.get("/n/mitten/").get_data(as_text=True)
    assert 'name="viewport"' in html and "style=" not in html and "<script" not in html
    css = client.get("/n/mitten/theme.css")
    assert css.mimetype == "text/css"
    assert "--nr-primary: #1f4e79" in css.get_data(as_text=True)


def test_robots_and_sitemap(client, world):
    doc = published(world, title="Kartlagd")
    unpublished = approved(world, title="Inte ute")
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/n/mitten/sitemap.xml" in robots
    sitemap = client.get("/n/mitten/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    xml = sitemap.get_data(as_text=True)
    assert f"<loc>http://localhost{path_of(doc)}</loc>" in xml
    assert f"/n/mitten/{unpublished.id}-" not in xml
