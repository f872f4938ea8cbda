"""One persistent SMTP connection of a send-out: it takes claimed rows, and before each
transmission has the previous outcome on this connection and the next row's 'sending' mark
written durably (`record`, a group commit by the send-out's writer). So a worker killed at
any moment leaves at most one row per connection whose outcome is unknown."""
import smtplib
import threading
import time
from dataclasses import dataclass


@dataclass
class Outcome:
    row: tuple          # (id, email, name, message_id, attempts, claim)
    state: str          # sent | failed | retry | uncertain
    error: str | None = None


class RateLimit:
    """At most `rate` transmissions a second over all connections (0: no limit)."""

    def __init__(self, rate):
        self.interval = 1.0 / rate if rate else 0.0
        self.lock, self.next = threading.Lock(), time.monotonic()

    def wait(self):
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            at = max(self.next, now)
            self.next = at + self.interval
        if at > now:
            time.sleep(at - now)


class ConnectFailed(Exception):
    """The connection could not be opened: the row in hand did not go out."""

    def __init__(self, row, exc):
        super().__init__(f"{type(exc).__name__}: {exc}"[:500])
        self.row = row


class NotSent(Exception):
    """The connection broke before the message's data was sent: it did not go out."""


def _text(code, message):
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{code} {message}".strip()


class Connection:
    """A thread that sends rows from `work` over one SMTP connection."""

    def __init__(self, run, smtp_config):
        self.run, self.cfg, self.smtp = run, smtp_config, None

    def open(self):
        cfg = self.cfg
        smtp = smtplib.SMTP(cfg["host"], cfg["port"], timeout=30)
        smtp.ehlo()
        if cfg["starttls"]:
            smtp.starttls()
            smtp.ehlo()
        if cfg["user"]:
            smtp.login(cfg["user"], cfg["password"] or "")
        self.smtp = smtp

    def close(self):
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def loop(self):
        """Until the work runs out or the run stops: record, transmit, repeat."""
        outcome = None
        try:
            while True:
                row = self.run.next_row()
                go = self.run.record(outcome, row)  # durable before anything is sent
                outcome = None
                if row is None:
                    return
                if go:
                    outcome = self.transmit(row)
        except ConnectFailed as exc:
            self.run.record(Outcome(exc.row, "release", str(exc)), None)
            self.run.connection_failed(exc)
        except Exception as exc:
            # A bug: the row in hand stays 'sending' and becomes uncertain later.
            self.run.connection_failed(exc)
            if outcome is not None:
                self.run.record(outcome, None)
        finally:
            self.run.connection_done()
            self.close()

    def transmit(self, row):
        """Send one row; its Outcome (a broken connection before DATA is tried once more on a
        new connection, since nothing went out)."""
        data = self.run.render(row)
        for attempt in (1, 2):
            if self.smtp is None:
                try:
                    self.open()
                except (smtplib.SMTPException, OSError) as exc:
                    raise ConnectFailed(row, exc) from exc
            try:
                self.run.limit.wait()
                return self._send(row, data)
            except NotSent:
                self.close()
                if attempt == 2:
                    return Outcome(row, "retry", "connection lost before sending")
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                # Lost during or after DATA: the server may have taken it.
                self.close()
                return Outcome(row, "uncertain", str(exc)[:500] or type(exc).__name__)
        return None

    def _send(self, row, data):
        smtp = self.smtp
        try:
            code, reply = smtp.mail(self.run.envelope_from)
            if code == 250:
                code, reply = smtp.rcpt(row[1])
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise NotSent() from exc
        if code not in (250, 251):
            smtp.rset()
            return self._refused(row, code, reply)
        try:
            code, reply = smtp.data(data)
        except smtplib.SMTPDataError as exc:  # refused before the data was sent
            smtp.rset()
            return self._refused(row, exc.smtp_code, exc.smtp_error)
        if code != 250:
            return self._refused(row, code, reply)
        return Outcome(row, "sent")

    @staticmethod
    def _refused(row, code, reply):
        # 4xx: try again later; 5xx (or anything else): failed, with the server's words.
        state = "retry" if 400 <= code < 500 else "failed"
        return Outcome(row, state, _text(code, reply)[:1000])
