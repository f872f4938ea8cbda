"""The newsroom's world: an organisation with staff, and texts published through the workflow."""
from types import SimpleNamespace

import pytest
from conftest import make_org, make_user, publish_now
from sqlalchemy import select

from commsdesk import documents, newsroom, workflow
from commsdesk.extensions import db
from commsdesk.models import Publication


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with an empty page cache (as a freshly started process would)."""
    newsroom.pages.clear()
    yield
    newsroom.pages.clear()


@pytest.fixture
def world(org):
    return SimpleNamespace(
        org=org,
        editor=make_user(org, "editor"),
        approver=make_user(org, "approver"),
        admin=make_user(org, "admin"),
        contributor=make_user(org, "contributor"),
    )


def approved(world, kind="press_release", title="Rubrik", body="Brödtext", tags=(), **content):
    """A text of the world's organisation, approved and ready to publish."""
    doc = documents.create_document(world.editor, kind, {"title": title, "body": body, **content},
                                    tags=list(tags))
    workflow.submit(world.editor, doc)
    workflow.approve(world.approver, doc)
    return doc


def published(world, kind="press_release", title="Rubrik", **content):
    """A text published to the newsroom through the workflow and the worker."""
    return publish_now(world.editor, approved(world, kind, title, **content))


def path_of(doc):
    """The text's page in the newsroom, as its publication says."""
    row = db.session.execute(select(Publication).where(Publication.document_id == doc.id)
                             .order_by(Publication.id.desc())).scalars().first()
    return row.payload["path"]


__all__ = ["approved", "make_org", "make_user", "path_of", "published"]
