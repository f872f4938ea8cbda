"""The newsroom's appearance: defaults, validated colours with a WCAG contrast check, only the
organisation's admins change it (editors see it), audited, and the pages follow at once."""
import pytest
from conftest import login_as, make_org, make_user
from sqlalchemy import select

from commsdesk import branding
from commsdesk.errors import Forbidden, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry


def test_defaults_from_the_contract(world):
    brand = branding.brand(world.org)
    assert (brand.primary, brand.accent, brand.logo_media_id, brand.tagline) == \
        ("#1f4e79", "#f2c14e", "", "")
    assert brand.name == world.org.name and brand.logo_url is None


def test_admin_sets_the_brand_and_it_is_audited(world):
    branding.set_brand(world.admin, world.org, name="Mittenpartiet", tagline="För hela Älvstad",
                       primary="#003366", accent="#FFD700", logo_media_id="12", locale="nb")
    brand = branding.brand(world.org)
    assert brand.name == "Mittenpartiet" and brand.accent == "#ffd700"
    assert brand.logo_url == "/media/12/thumb.jpg" and brand.locale == "nb"
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "newsroom.branded")).scalar_one()
    assert entry.data["primary"] == "#003366"


@pytest.mark.parametrize("primary, accent", [
    ("#777777", "#000000"),   # nothing reads on a mid grey
    ("#1f4e79", "#2a5d8a"),   # accent too close to the primary
    ("red", "#ffffff"),
    ("#12345", "#ffffff"),
    ("#1f4e79", "url(x)"),
])
def test_unreadable_or_invalid_colours_are_refused(world, primary, accent):
    with pytest.raises(ValidationError):
        branding.set_brand(world.admin, world.org, primary=primary, accent=accent)


def test_contrast_is_wcag():
    assert round(branding.contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(branding.contrast("#ffffff", "#1f4e79"), 1) >= 4.5


@pytest.mark.parametrize("role", ["editor", "approver", "contributor"])
def test_only_admins_change_the_brand(world, role):
    with pytest.raises(Forbidden):
        branding.set_brand(getattr(world, role), world.org, primary="#003366", accent="#ffffff")


def test_another_organisations_admin_is_refused(world):
    stranger = make_user(make_org("grona"), "admin")
    with pytest.raises(Forbidden):
        branding.set_brand(stranger, world.org, primary="#003366", accent="#ffffff")


def test_settings_page_for_admins_and_editors(app, world):
    admin = login_as(app, world.admin)
    page = admin.get("/settings/newsroom/")
    assert page.status_code == 200 and 'href="/n/mitten/"' in page.get_data(as_text=True)
    saved = admin.form("/settings/newsroom/", {"name": "Mitten i Älvstad", "tagline": "Hej",
                                               "primary": "#003366", "accent": "#ffd700",
                                               "logo_media_id": "", "locale": "sv"})
    assert saved.status_code == 302
    assert "Mitten i Älvstad" in app.test_client().get("/n/mitten/").get_data(as_text=True)
    assert "#003366" in app.test_client().get("/n/mitten/theme.css").get_data(as_text=True)
    refused = admin.form("/settings/newsroom/", {"primary": "#777777", "accent": "#000000",
                                                 "locale": "sv"})
    assert refused.status_code == 422 and "4.5:1" in refused.get_data(as_text=True)
    editor = login_as(app, world.editor)
    assert editor.get("/settings/newsroom/").status_code == 200
    assert editor.form("/settings/newsroom/", {"primary": "#000000", "accent": "#ffffff",
                                               "locale": "sv"}).status_code == 403
    assert branding.brand(world.org).primary == "#003366"


@pytest.mark.parametrize("role", ["contributor", "approver"])
def test_settings_page_refused_to_others(app, world, role):
    client = login_as(app, getattr(world, role))
    assert client.get("/settings/newsroom/").status_code == 403


def test_settings_need_login(client, world):
    assert client.get("/settings/newsroom/").status_code == 302
