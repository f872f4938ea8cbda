"""The Flask-Admin back office at /admin."""


def init_app(app):
    return None
