"""The connection form and settings shared by the Meta channels (an account id, an access
token, the API version), and the image link Instagram and Threads fetch from us."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...errors import ValidationError
from .. import social
from ..base import Adapter, Field, RetryableError
from . import graph

ID_RE = re.compile(r"^(\d{1,40}|me)$")


def id_field(name, label, help_text):
    return Field(name, label, max_length=40, help=help_text, placeholder="17841400000000000")


def token_field(label, help_text):
    return Field("access_token", label, "secret", max_length=1000, help=help_text)


def version_field(default="v21.0"):
    return Field("api_version", _l("API version"), required=False, max_length=10,
                 default=default, placeholder=default,
                 help=_l("Meta's API version to call; change it when Meta retires this one."))


class MetaAdapter(Adapter):
    """Shared by the Facebook Page, Instagram and Threads adapters."""

    kinds = social.KINDS
    supports_images = True
    can_look_up = True
    platform = ""

    def check_settings(self, settings, secrets):
        """Account ids are numbers (or "me"); the version looks like v21.0."""
        for spec in self.fields:
            if spec.kind == "text" and spec.name.endswith("_id"):
                value = settings.get(spec.name, "").strip()
                if not ID_RE.match(value):
                    raise ValidationError(_("%(field)s is a number, like 17841400000000000.",
                                            field=spec.label), field=spec.name)
                settings[spec.name] = value
        if "api_version" in settings:
            version = graph.check_version(settings["api_version"])
            if version is None:
                raise ValidationError(_("Give the API version like v21.0."),
                                      field="api_version")
            settings["api_version"] = version
        return settings


def image_url(image):
    """A signed, expiring public link to an image's rendition for the platform to fetch;
    asks to come back later while the worker has not made the rendition yet."""
    from ... import media  # media reaches workflow, which queues through channels
    from ...extensions import db
    from ...models import Rendition

    done = db.session.execute(
        db.select(Rendition.id).where(Rendition.media_id == image["media_id"],
                                      Rendition.name == image["rendition"],
                                      Rendition.state == "done")).first()
    if done is None:
        raise RetryableError(_("The image is still being prepared; the post goes out when "
                               "it is ready."), retry_after=30)
    return media.signed_url(image["media_id"], image["rendition"])
