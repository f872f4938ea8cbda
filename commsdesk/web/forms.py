"""Forms of the web interface (CSRF through Flask-WTF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..access import ADMIN, APPROVER, CONTRIBUTOR, EDITOR
from ..kinds import KINDS
from .filters import ROLE_LABELS


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class SetPasswordForm(FlaskForm):
    new_password = PasswordField(_l("Choose a password"),
                                 validators=[DataRequired(), Length(min=10)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language"),
        choices=[("", _l("As my browser")), ("sv", "Svenska"), ("en", "English"),
                 ("nb", "Norsk bokmål")],
    )


class NewDocumentForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k, v.label) for k, v in KINDS.items()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[(role, ROLE_LABELS[role]) for role in
                                            (CONTRIBUTOR, EDITOR, APPROVER, ADMIN)])
