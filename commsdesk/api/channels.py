"""The organisation's channels in the API (read only; thin over publishing.channels).
Credentials are never part of an answer: only whether they are set."""
from flask import g, jsonify

from .. import channels as channel_registry
from ..publishing import channels
from . import bp
from . import iso as _iso
from .schema import AUTH, TIME
from .schema import ID as _ID
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref


def channel_json(channel):
    """A Channel without its secrets."""
    adapter = channel_registry.ADAPTERS.get(channel.type)
    return {
        "id": channel.id, "type": channel.type, "type_label": channels.label(channel),
        "name": channel.name, "enabled": channel.enabled,
        "site_url": (channel.settings or {}).get("site_url"),
        "has_credentials": channels.has_credentials(channel),
        "kinds": sorted(adapter.kinds) if adapter else [],
        "created_at": _iso(channel.created_at),
    }


@bp.get("/channels")
def list_channels():
    rows = channels.for_organisation(g.api_user.organisation)
    return jsonify(items=[channel_json(c) for c in rows])


# --- OpenAPI ------------------------------------------------------------------------------

SCHEMAS = {
    "Channel": _object(
        {
            "id": _ID,
            "type": {"type": "string", "description": "website (the newsroom) or wordpress."},
            "type_label": {"type": "string", "description": "The type, in words."},
            "name": {"type": "string"},
            "enabled": {"type": "boolean",
                        "description": "Whether new publications go out here."},
            "site_url": {"type": ["string", "null"],
                         "description": "A WordPress site's address; null for the newsroom."},
            "has_credentials": {"type": "boolean",
                                "description": "Whether credentials are saved (they are "
                                               "never shown)."},
            "kinds": {"type": "array", "items": {"type": "string"},
                      "description": "The document kinds this channel publishes."},
            "created_at": TIME,
        },
        ("id", "type", "type_label", "name", "enabled", "site_url", "has_credentials",
         "kinds", "created_at"),
    ),
    "ChannelList": _object(
        {"items": {"type": "array", "items": _ref("Channel"),
                   "description": "The newsroom first, then the others in the order added."}},
        ("items",),
    ),
}

PATHS = {
    "/channels": {
        "get": {
            "operationId": "listChannels", "tags": ["channels"],
            "summary": "The channels of the caller's organisation, without secrets.",
            "responses": {
                "200": {"description": "The channels.",
                        "content": _json(_ref("ChannelList"))},
                **AUTH,
            },
        },
    },
}
