"""One send-out's MIME message, built once and filled in per recipient cheaply: the constant
headers, boundaries and attachments are bytes made once; per recipient only the placeholders
are replaced (compose.personalise), the two bodies base64-encoded and the recipient's own
headers (To, Message-ID, Date, List-Unsubscribe) added. One recipient per message."""
import binascii
import time
import uuid
from email.header import Header
from email.utils import formataddr, formatdate

from . import compose

CRLF = b"\r\n"
LINE = 76  # base64 line length (RFC 2045)


def _header(name, value):
    """One header line, RFC 2047-encoded when it is not ASCII."""
    try:
        value.encode("ascii")
        encoded = value
    except UnicodeEncodeError:
        encoded = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {encoded}".encode("ascii") + CRLF


def _base64(data):
    encoded = binascii.b2a_base64(data, newline=False)
    return CRLF.join([encoded[i:i + LINE] for i in range(0, len(encoded), LINE)]) + CRLF


def _part_head(content_type):
    return (f"Content-Type: {content_type}; charset=\"utf-8\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n").encode("ascii")


class MessageTemplate:
    """The message of one mailing; `render` gives one recipient's bytes."""

    def __init__(self, subject, text, html, sender, reply_to=None, attachments=()):
        self.text, self.html = text, html
        self.alt = f"=_alt_{uuid.uuid4().hex}".encode("ascii")
        self.mixed = f"=_mix_{uuid.uuid4().hex}".encode("ascii") if attachments else None
        head = _header("From", sender) + _header("Subject", subject)
        if reply_to:
            head += _header("Reply-To", reply_to)
        head += b"MIME-Version: 1.0\r\n"
        self.head = head
        self.tail = self._attachments(attachments)
        self._date, self._date_second = "", None

    def _attachments(self, attachments):
        tail = b""
        for item in attachments or ():
            data = item["data"].encode("utf-8") if isinstance(item["data"], str) else item["data"]
            tail += (b"--" + self.mixed + CRLF
                     + f"Content-Type: {item['content_type']}\r\n".encode("ascii")
                     + b"Content-Transfer-Encoding: base64\r\n"
                     + f"Content-Disposition: attachment; filename=\"{item['filename']}\""
                       "\r\n\r\n".encode("ascii") + _base64(data))
        return tail + (b"--" + self.mixed + b"--" + CRLF if self.mixed else b"")

    def date(self):
        """The Date header's value, made at most once a second."""
        second = int(time.time())
        if second != self._date_second:
            self._date, self._date_second = formatdate(second, localtime=False), second
        return self._date

    def render(self, email, name, message_id, values, extra_headers=None):
        """The bytes of the message to one recipient."""
        out = [self.head, _header("To", formataddr((name, email)) if name else email),
               _header("Message-ID", message_id), _header("Date", self.date())]
        for key, value in (extra_headers or {}).items():
            out.append(_header(key, value))
        if self.mixed:
            out.append(b'Content-Type: multipart/mixed; boundary="' + self.mixed + b'"\r\n\r\n'
                       + b"--" + self.mixed + CRLF)
        out.append(b'Content-Type: multipart/alternative; boundary="' + self.alt + b'"\r\n\r\n')
        out.append(b"--" + self.alt + CRLF + _part_head("text/plain")
                   + _base64(compose.personalise(self.text, values).encode("utf-8")))
        if self.html:
            out.append(b"--" + self.alt + CRLF + _part_head("text/html")
                       + _base64(compose.personalise(self.html, values, html=True)
                                 .encode("utf-8")))
        out.append(b"--" + self.alt + b"--" + CRLF)
        if self.mixed:
            out.append(self.tail)
        return b"".join(out)
