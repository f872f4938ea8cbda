"""Set-up for the watch-list tests: sources, items stored as a poll stores them, lists."""
from commsdesk.extensions import db
from commsdesk.models import OrganisationSetting, Source
from commsdesk.monitoring import items, watch_lists


def source(org, url="https://gp.example/rss", name="Göteborgs-Posten"):
    row = Source(organisation_id=org.id, name=name, url=url)
    db.session.add(row)
    db.session.commit()
    return row


def watch_list(user, name, terms, delivery="instant", recipients=None):
    recipients = [user] if recipients is None else recipients
    return watch_lists.save(user, None, name, terms, delivery, [u.id for u in recipients])


def store(src, *entries, now=None):
    """Store entries as a poll does (matching them), then commit: (new, changed)."""
    result = items.store(src, list(entries), now=now)
    db.session.commit()
    return result


def news(title, text="", link=None):
    return items.Entry(link=link or f"https://gp.example/n/{abs(hash(title))}", title=title,
                       text=text)


def pdf(title, pages, content_hash="a", link="https://kommun.example/kallelse.pdf"):
    return items.Entry(kind="pdf", link=link, title=title, pages=pages,
                       text="\n".join(pages), content_hash=content_hash)


def set_setting(org, name, value):
    db.session.add(OrganisationSetting(organisation_id=org.id, name=name, value=value))
    db.session.commit()
