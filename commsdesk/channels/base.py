"""The one interface every channel adapter follows, and the errors a send may end in.

An adapter formats a revision into the payload frozen on the outbox row (at enqueue, never
re-read later) and sends that payload. Formatting is separate from transport: `format`
reads the document, `send` only the row."""
from dataclasses import dataclass


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


class UnknownOutcome(ChannelError):
    """The request may have reached the platform: never repeat it blindly."""


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
