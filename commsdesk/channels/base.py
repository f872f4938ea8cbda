"""The one interface every channel adapter follows, and the errors a send may end in.

An adapter formats a revision into the payload frozen on the outbox row (at enqueue, never
re-read later) and sends that payload. Formatting is separate from transport: `format`
reads the document, `send` only the row.

A send in several steps (a thread of posts, an image upload then the post, Instagram's
container then publish) records each finished step with `remember`, committed at once, so a
worker that dies after step two resumes at step three and never repeats a step that went
out. Connection forms are declared by the adapter (`fields`); the secret ones are stored
encrypted and never shown again."""
from dataclasses import dataclass

from ..extensions import db


@dataclass(frozen=True)
class SendResult:
    external_id: str | None = None
    url: str | None = None


class ChannelError(Exception):
    """A send that did not succeed; `message` says why in plain words."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class RetryableError(ChannelError):
    """Worth trying again later (timeout, 5xx, 429); `retry_after` seconds if the platform
    said how long to wait."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(ChannelError):
    """Will fail the same way again (rejected credentials, invalid content): fail at once."""


class AuthError(PermanentError):
    """The platform refused the channel's credentials (expired, revoked, wrong): the channel
    needs reconnecting. Its owner is told, and the dashboard says so until it is fixed."""


class UnknownOutcome(ChannelError):
    """The request may have reached the platform: never repeat it blindly."""


@dataclass(frozen=True)
class Field:
    """One input of a channel's connection form. Secret fields are encrypted at rest and
    never shown again (an empty input keeps the stored value); the rest are settings."""

    name: str
    label: object
    kind: str = "text"  # text | url | email | secret | select | textarea
    required: bool = True
    max_length: int = 500
    help: object = ""
    placeholder: str = ""
    choices: tuple = ()  # (value, label) pairs for a select
    default: str = ""
    # Kept with the encrypted credentials although it is shown again (a user name).
    encrypted: bool = False

    @property
    def secret(self):
        return self.kind == "secret"

    @property
    def in_credentials(self):
        return self.secret or self.encrypted


def remember(publication, **values):
    """Record finished steps of a send on its row and commit at once (see the module)."""
    publication.progress = {**(publication.progress or {}), **values}
    db.session.commit()


def progress(publication, name, default=None):
    """A step recorded by `remember` on an earlier attempt, or `default`."""
    return (publication.progress or {}).get(name, default)


class Adapter:
    """Base class: subclasses set `type`, `label`, `kinds` and implement format and send."""

    type = ""
    label = ""
    kinds = frozenset()  # the document kinds this channel publishes
    supports_images = False
    # Whether `lookup` can tell, after an unknown outcome, if an earlier attempt went out.
    can_look_up = False
    # Whether `withdraw` takes a post down elsewhere: withdrawing then queues that for the
    # worker (the newsroom's own withdrawal is immediate and needs none).
    can_withdraw = False
    # Whether an attempt whose outcome is unknown may simply be made again, because the
    # receiving end drops a repeat itself (a webhook receiver deduplicating on its id).
    retry_unknown = False
    # Whether a person posts it: at its time the row waits for them (publishing.manual)
    # instead of being sent.
    by_hand = False
    # The connection form (/settings/channels/new/<type>); empty: not added by a form.
    fields = ()
    # A web endpoint that connects the channel instead of a form (an OAuth dance).
    connect_endpoint = None
    # What the form says about where to find the credentials; a line in the list of kinds.
    instructions = ""
    summary = ""

    def check_settings(self, settings, secrets):
        """Adapter-specific checks of a connection form's values (after each field's own);
        returns the settings to store or raises ValidationError."""
        return settings

    def field_choices(self, spec, organisation_id):
        """The (value, label) choices of a select field for this organisation (default: the
        field's own)."""
        return spec.choices

    def generated_secrets(self, stored):
        """Secrets the adapter makes itself for a channel (a webhook's signing secret), added
        to the stored ones when missing; shown once by the web layer."""
        return {}

    def address(self, channel):
        """Where the channel publishes, in a few words (a site, an account)."""
        settings = channel.settings or {}
        return settings.get("account") or settings.get("site_url") or ""

    def test_connection(self, channel):
        """Who the credentials sign in as; raises a ChannelError if they do not."""
        raise NotImplementedError

    def supports(self, kind):
        return kind in self.kinds

    def format(self, doc, revision, channel):
        """The JSON payload for this revision on this channel (called once, at enqueue)."""
        raise NotImplementedError

    def send(self, channel, publication):
        """Send `publication.payload`; returns a SendResult or raises a ChannelError."""
        raise NotImplementedError

    def lookup(self, channel, publication):
        """After an unknown outcome: the SendResult if the earlier attempt went out, None if
        it did not. Only called when `can_look_up`."""
        raise NotImplementedError

    def withdraw(self, channel, publication):
        """Take a sent publication down where the platform allows it (default: nothing)."""
        return None
