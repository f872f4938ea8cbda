"""Reading received notification emails: their parts and subject."""


def parts(message):
    """(text part, html part) of a received email, decoded."""
    text = html = None
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return text, html


def subject(message):
    """The decoded Subject header."""
    from email.header import decode_header, make_header

    return str(make_header(decode_header(message["Subject"])))
