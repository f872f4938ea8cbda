"""One-click unsubscribe links and headers (a placeholder with the agreed contract, until
the consent part lands)."""
from flask import current_app

from .tokens import unsubscribe_token


def links(organisation_id, email):
    """The absolute unsubscribe, preference and one-click (RFC 8058 POST) links."""
    base = current_app.config["BASE_URL"].rstrip("/")
    token = unsubscribe_token(organisation_id, email)
    return {"unsubscribe_url": f"{base}/u/{token}",
            "preferences_url": f"{base}/u/{token}/preferences",
            "one_click_url": f"{base}/u/{token}/one-click"}


def headers(organisation_id, email):
    """The RFC 8058 headers of a message to this address."""
    return {"List-Unsubscribe": f"<{links(organisation_id, email)['one_click_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
