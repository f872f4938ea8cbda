"""Reading what the test SMTP server received."""
from email.header import decode_header, make_header


def subject(message):
    return str(make_header(decode_header(message["Subject"])))


def parts(message):
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            text = part.get_payload(decode=True).decode()
        elif part.get_content_type() == "text/html":
            html = part.get_payload(decode=True).decode()
    return text, html
