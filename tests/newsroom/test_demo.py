"""`flask demo` leaves living newsrooms: published Swedish texts, one press release under
embargo that no page shows yet."""
from commsdesk import demo


def test_demo_publishes_to_the_newsrooms(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    home = client.get("/n/mitten-alvstad/").get_data(as_text=True)
    assert "Trygga skolvägar i Västerby före sommaren" in home
    assert "Unga i Älvstad behöver bostäder" in home
    assert "skuggbudget" not in home  # under embargo for an hour
    assert "skuggbudget" not in client.get("/n/mitten-alvstad/feed.rss").get_data(as_text=True)
    assert "1 000 träd" in client.get("/n/grona-alvstad/").get_data(as_text=True)
    assert "1 000 träd" not in home
    assert demo.loaded()
