"""Images: an organisation's media library (uploads checked and stored in the database),
renditions per use made by the worker, the images a document carries, the alt-text check
before publishing, who may fetch what, and the social-card generator."""
from .attachments import (
    attach,
    attached,
    check_alt_text,
    detach,
    images_payload,
    move,
    rendition_paths,
)
from .cards import card_for, card_path
from .images import SIZES
from .library import delete, describe, get_media, library, limits, upload, uses
from .renditions import render_due, renditions_waiting
from .serving import is_public, rendition_for, signed_url

__all__ = [
    "SIZES",
    "attach",
    "attached",
    "card_for",
    "card_path",
    "check_alt_text",
    "delete",
    "describe",
    "detach",
    "get_media",
    "images_payload",
    "is_public",
    "library",
    "limits",
    "move",
    "render_due",
    "rendition_for",
    "rendition_paths",
    "renditions_waiting",
    "signed_url",
    "upload",
    "uses",
]
