"""A joint release on a phone (390 x 844), as the partner party: its secretary opens the
agreed text, sees the owner's release time and plan, ticks its own newsroom and plans it;
then its group leader holds every party's publications with a reason, and the panel shows
the release held. Nothing needs sideways scrolling.

Assertions match markup and data attributes, not wording, so they hold in Swedish."""
from coalition_release.conftest import World, soon
from playwright.sync_api import expect

from commsdesk import channels as channel_registry
from commsdesk import coalition_release
from commsdesk.extensions import db

PHONE = {"width": 390, "height": 844}
REASON = "Siffrorna i andra stycket stämmer inte"


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_the_partner_plans_and_holds_a_joint_release_on_a_phone(person):
    world = World()
    doc = world.doc
    coalition_release.set_time(world.editor, doc, soon(120))
    coalition_release.plan(world.editor, doc,
                           [channel_registry.website_channel(world.owner).id])
    newsroom = channel_registry.website_channel(world.green)
    db.session.commit()

    secretary = person(world.green_editor.email, PHONE)
    secretary.goto(f"/documents/{doc.id}")
    panel = secretary.locator("#joint-release")
    expect(panel.locator(".jr-time")).to_be_visible()
    owner_plan = panel.locator(".jr-party[data-organisation=mitten] .jr-rows li")
    expect(owner_plan).to_have_count(1)
    expect(owner_plan.locator(".pub-state-queued")).to_be_visible()
    expect(panel.locator(".jr-party[data-organisation=gron] .jr-rows")).to_have_count(0)
    fits_the_phone(secretary)

    form = panel.locator("form:has(button[data-action=release-plan])")
    boxes = form.locator("input[name=channel]")
    for n in range(boxes.count()):
        boxes.nth(n).uncheck()
    form.locator(f"input[name=channel][value='{newsroom.id}']").check()
    form.locator("button[data-action=release-plan]").click()
    secretary.wait_for_url(f"**/documents/{doc.id}*")
    ours = secretary.locator("#joint-release .jr-party[data-organisation=gron] .jr-rows li")
    expect(ours).to_have_count(1)
    expect(ours.locator(".pub-state-queued")).to_be_visible()
    fits_the_phone(secretary)

    leader = person(world.green_approver.email, PHONE)
    leader.goto(f"/documents/{doc.id}")
    hold = leader.locator("#joint-release details.jr-hold")
    hold.locator("summary").click()
    hold.locator("textarea[name=reason]").fill(REASON)
    fits_the_phone(leader)
    hold.locator("button[data-action=release-hold]").click()
    leader.wait_for_url(f"**/documents/{doc.id}*")
    held = leader.locator("#jr-held")
    expect(held).to_be_visible()
    expect(held.locator(".jr-reason")).to_have_text(REASON)
    expect(leader.locator("#joint-release .jr-party .pub-state-held")).to_have_count(2)
    expect(leader.locator("#joint-release details.jr-hold")).to_have_count(0)
    fits_the_phone(leader)
