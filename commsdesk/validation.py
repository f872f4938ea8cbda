"""Text from forms and JSON checked one way everywhere: its type, its length, whether it is
required, with the same messages naming the field."""
from flask_babel import gettext as _

from .errors import ValidationError


def text_field(value, limit, label, name, required=False, single_line=False, strip=True):
    """The text of a field, or a ValidationError naming it (label for people, name for the
    form or API field).

    None is empty; anything but a string is refused. Line ends become \\n, or with single_line
    every run of whitespace one space (names, titles, labels). NUL characters go: no database
    column keeps them. strip=False keeps the text's outer whitespace (a revision's lead and
    body are stored as written)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("%(field)s must be text.", field=label), field=name)
    value = value.replace("\x00", "")
    if single_line:
        value = " ".join(value.split())
    else:
        value = value.replace("\r\n", "\n")
        if strip:
            value = value.strip()
    if required and not value:
        raise ValidationError(_("%(field)s is required.", field=label), field=name)
    if len(value) > limit:
        raise ValidationError(_("%(field)s is too long (at most %(limit)d characters).",
                                field=label, limit=limit), field=name)
    return value
