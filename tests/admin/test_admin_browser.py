"""The back office in a real browser under the strict CSP: no violations, and Flask-Admin's
delete confirmation and bulk actions work without the inline handlers the CSP would block
(templates/admin/ overrides them)."""
import pytest
from conftest import make_org, make_user
from playwright.sync_api import expect
from sqlalchemy import select

from commsdesk.extensions import db
from commsdesk.models import Tag


@pytest.fixture
def admin_page(page, log_in):
    org = make_org("alfa")
    admin = make_user(org, "admin")
    for name in ("skola", "vård", "kultur"):
        db.session.add(Tag(organisation_id=org.id, name=name))
    db.session.commit()
    log_in(admin.email)
    return page


def tag_names():
    db.session.expire_all()
    return set(db.session.execute(select(Tag.name)).scalars())


def test_admin_pages_load_without_csp_violations(admin_page, browser_problems):
    for path in ("/admin/", "/admin/user/", "/admin/user/new/", "/admin/tag/",
                 "/admin/setting/new/", "/admin/audit/"):
        admin_page.goto(path)
        admin_page.wait_for_load_state("networkidle")
    assert browser_problems == [], "\n".join(browser_problems)


def test_delete_asks_first_and_bulk_delete_works(admin_page, browser_problems):
    admin_page.goto("/admin/tag/")
    row = admin_page.locator("tr", has_text="skola")
    admin_page.once("dialog", lambda dialog: dialog.dismiss())
    row.locator("form button").click()
    admin_page.wait_for_load_state("networkidle")
    assert "skola" in tag_names()  # dismissed: nothing deleted

    admin_page.once("dialog", lambda dialog: dialog.accept())
    row.locator("form button").click()
    expect(admin_page.locator("tr", has_text="skola")).to_have_count(0)
    assert tag_names() == {"vård", "kultur"}

    admin_page.locator("tr", has_text="vård").locator("input.action-checkbox").check()
    admin_page.once("dialog", lambda dialog: dialog.accept())
    menu = admin_page.locator("li.nav-item.dropdown", has=admin_page.locator("a.dropdown-item"))
    menu.locator("a.dropdown-toggle").click()
    menu.locator("a.dropdown-item").first.click()  # the only bulk action: delete
    expect(admin_page.locator("tr", has_text="vård")).to_have_count(0)
    assert tag_names() == {"kultur"}
    assert browser_problems == [], "\n".join(browser_problems)
