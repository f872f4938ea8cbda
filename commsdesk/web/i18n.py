"""Language and time zone for the current request."""
from flask import current_app, g, has_request_context, request
from flask_login import current_user


def select_locale():
    """The user's chosen language, else the browser's best match, else Swedish. A newsroom
    page speaks its organisation's language, whoever reads it."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if g.get("newsroom_locale"):
        return g.newsroom_locale
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def select_timezone():
    """The organisation's time zone (default Europe/Stockholm)."""
    if (has_request_context() and current_user and current_user.is_authenticated
            and current_user.organisation):
        return current_user.organisation.timezone
    return current_app.config["TIMEZONE"]
