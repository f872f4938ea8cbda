"""An organisation's newsroom appearance: its name as shown, tagline, colours, logo and
language, kept as OrganisationSetting rows (string values). Read and written only here."""
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from flask import current_app
from flask_babel import gettext as _

from . import audit, org_settings
from .access import is_admin, parse_id
from .errors import Forbidden, ValidationError
from .extensions import db

DEFAULTS = {
    "brand.name": "",
    "brand.primary": "#1f4e79",
    "brand.accent": "#f2c14e",
    "brand.logo_media_id": "",
    "brand.tagline": "",
    "brand.locale": "sv",
}
HEX_RE = re.compile(r"#[0-9a-fA-F]{6}")
MAX_NAME, MAX_TAGLINE = 200, 300
# WCAG 2.1 AA for normal text: the header's text and the accent on the primary colour.
MIN_CONTRAST = 4.5
LIGHT_TEXT, DARK_TEXT = "#ffffff", "#111111"


@dataclass(frozen=True)
class Brand:
    name: str
    primary: str
    accent: str
    logo_media_id: str
    tagline: str
    locale: str

    @cached_property
    def on_primary(self):
        """The text colour (near white or near black) that reads best on the primary colour."""
        return text_colour_on(self.primary)

    @cached_property
    def link(self):
        """Links on the white page: the primary colour when it is dark enough, else dark."""
        return self.primary if contrast(self.primary, LIGHT_TEXT) >= MIN_CONTRAST else DARK_TEXT

    @property
    def logo_url(self):
        """Where the logo's image is served (the media library's thumbnail), or None."""
        return f"/media/{self.logo_media_id}/thumb.jpg" if self.logo_media_id else None

    def key(self):
        """A short value that changes whenever the appearance does (for cache keys)."""
        return "|".join((self.name, self.primary, self.accent, self.logo_media_id,
                         self.tagline, self.locale))


def brand(org):
    """The organisation's appearance, with the defaults for what is not set."""
    values = org_settings.read(org.id, DEFAULTS)
    return brand_from(org.name, values)


def brand_from(org_name, values):
    """The appearance from the settings' values by name (missing or empty: the default)."""
    return _brand(org_name, tuple(values.get(name) or "" for name in DEFAULTS),
                  tuple(current_app.config["LANGUAGES"]))


@lru_cache(maxsize=256)
def _brand(org_name, values, languages):
    # Cached by value: the newsroom asks on every request, and a Brand never changes.
    merged = {name: value or DEFAULTS[name] for name, value in zip(DEFAULTS, values)}
    for name in ("brand.primary", "brand.accent"):  # a value set elsewhere may be no colour
        if not HEX_RE.fullmatch(merged[name]):
            merged[name] = DEFAULTS[name]
    locale = merged["brand.locale"]
    if locale not in languages:
        locale = DEFAULTS["brand.locale"]
    return Brand(name=merged["brand.name"] or org_name, primary=merged["brand.primary"].lower(),
                 accent=merged["brand.accent"].lower(),
                 logo_media_id=merged["brand.logo_media_id"], tagline=merged["brand.tagline"],
                 locale=locale)


# --- colours ----------------------------------------------------------------------------

def _channel(value):
    value /= 255
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(hex_colour):
    """Relative luminance of a #rrggbb colour, as WCAG 2.1 defines it."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a, b):
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(background):
    """Near white or near black, whichever contrasts more with the background."""
    return max((LIGHT_TEXT, DARK_TEXT), key=lambda text: contrast(text, background))


def _colour(value, label, field):
    value = (value or "").strip()
    if not HEX_RE.fullmatch(value):
        raise ValidationError(_("%(field)s must be a colour written as # and six hexadecimal "
                                "digits, such as #1f4e79.", field=label), field=field)
    return value.lower()


def check_colours(primary, accent):
    """Refuse a pair whose text on the primary colour (the header's text, the accent) would
    not meet WCAG AA (4.5:1)."""
    header = contrast(text_colour_on(primary), primary)
    if header < MIN_CONTRAST:
        raise ValidationError(_("No text colour is readable on the primary colour %(colour)s "
                                "(contrast %(ratio).1f:1, at least 4.5:1 is needed). Choose a "
                                "darker or lighter primary colour.", colour=primary,
                                ratio=header), field="primary")
    ratio = contrast(accent, primary)
    if ratio < MIN_CONTRAST:
        raise ValidationError(_("The accent colour %(accent)s is not readable on the primary "
                                "colour %(primary)s (contrast %(ratio).1f:1, at least 4.5:1 is "
                                "needed).", accent=accent, primary=primary, ratio=ratio),
                              field="accent")


# --- changing it ------------------------------------------------------------------------

def can_change(user, org):
    """Only the organisation's admins change its newsroom's appearance."""
    return user.organisation_id == org.id and is_admin(user)


def can_view(user, org):
    """Admins and editors of the organisation see the newsroom settings."""
    return user.organisation_id == org.id and user.role in ("admin", "editor")


def _clean(name, tagline, primary, accent, logo_media_id, locale):
    name, tagline = (name or "").strip(), (tagline or "").strip()
    if len(name) > MAX_NAME:
        raise ValidationError(_("The name may have at most %(n)d characters.", n=MAX_NAME),
                              field="name")
    if len(tagline) > MAX_TAGLINE:
        raise ValidationError(_("The tagline may have at most %(n)d characters.",
                                n=MAX_TAGLINE), field="tagline")
    primary = _colour(primary, _("The primary colour"), "primary")
    accent = _colour(accent, _("The accent colour"), "accent")
    check_colours(primary, accent)
    logo = (logo_media_id or "").strip()
    if logo and parse_id(logo) is None:
        raise ValidationError(_("The logo must be the number of an image in the media "
                                "library."), field="logo_media_id")
    if locale not in current_app.config["LANGUAGES"]:
        raise ValidationError(_("Choose one of the languages offered."), field="locale")
    return {"brand.name": name, "brand.tagline": tagline, "brand.primary": primary,
            "brand.accent": accent, "brand.logo_media_id": str(parse_id(logo) or ""),
            "brand.locale": locale}


def set_brand(user, org, *, name="", tagline="", primary=DEFAULTS["brand.primary"],
              accent=DEFAULTS["brand.accent"], logo_media_id="", locale="sv"):
    """Change the newsroom's appearance (admins of the organisation), audited; commits."""
    if not can_change(user, org):
        raise Forbidden(_("Only an admin of the organisation may change its newsroom."))
    values = _clean(name, tagline, primary, accent, logo_media_id, locale)
    changed = {name.removeprefix("brand."): values[name]
               for name in org_settings.write(org.id, values)}
    if changed:
        audit.record(user, "newsroom.branded", org, organisation_id=org.id, **changed)
    db.session.commit()
    return brand(org)
