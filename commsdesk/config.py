"""Configuration read from COMMSDESK_* environment variables."""
import os
import secrets
from pathlib import Path


def _env(name, default=None):
    """A COMMSDESK_ variable; set but empty counts as unset."""
    return os.environ.get(f"COMMSDESK_{name}") or default


def _flag(name, default=False):
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class ConfigError(RuntimeError):
    """The configuration cannot run safely."""


class Config:
    """Settings for a running installation; every value can be set from the environment."""

    def __init__(self, instance_path):
        self.ENV = _env("ENV", "production")
        self.SQLALCHEMY_DATABASE_URI = _env(
            "DATABASE_URL", f"sqlite:///{Path(instance_path) / 'commsdesk.sqlite3'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = _env("REDIS_URL")
        self.TIMEZONE = _env("TIMEZONE", "Europe/Stockholm")
        self.BABEL_DEFAULT_LOCALE = _env("DEFAULT_LOCALE", "sv")
        self.BABEL_DEFAULT_TIMEZONE = self.TIMEZONE
        self.LANGUAGES = ["sv", "en", "nb"]
        self.MAX_CONTENT_LENGTH = int(_env("MAX_REQUEST_BYTES", str(1024 * 1024)))
        # Image uploads (the media library) may be larger than other requests.
        self.MAX_IMAGE_BYTES = int(_env("MAX_IMAGE_BYTES", str(15 * 1000 * 1000)))
        self.MAX_IMAGE_PIXELS = int(_env("MAX_IMAGE_PIXELS", str(40 * 1000 * 1000)))
        # The largest meeting document (PDF) the monitoring reads.
        self.MONITOR_MAX_PDF_BYTES = int(_env("MONITOR_MAX_PDF_BYTES", str(30 * 1000 * 1000)))
        self.BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")
        self.MAIL_FROM = _env("MAIL_FROM", "commsdesk <noreply@commsdesk.local>")
        self.SMTP_HOST = _env("SMTP_HOST")
        self.SMTP_PORT = int(_env("SMTP_PORT", "25"))
        self.SMTP_USER = _env("SMTP_USER")
        self.SMTP_PASSWORD = _env("SMTP_PASSWORD")
        self.SMTP_STARTTLS = _flag("SMTP_STARTTLS")
        # The bounce mailbox the worker reads delivery reports from over IMAP (unset: none),
        # and the shared secret of a mail provider's bounce webhook (unset: the hook is off).
        self.BOUNCE_IMAP_HOST = _env("BOUNCE_IMAP_HOST")
        self.BOUNCE_IMAP_PORT = int(_env("BOUNCE_IMAP_PORT", "993"))
        self.BOUNCE_IMAP_USER = _env("BOUNCE_IMAP_USER")
        self.BOUNCE_IMAP_PASSWORD = _env("BOUNCE_IMAP_PASSWORD")
        self.BOUNCE_IMAP_FOLDER = _env("BOUNCE_IMAP_FOLDER", "INBOX")
        self.BOUNCE_IMAP_SSL = _flag("BOUNCE_IMAP_SSL", True)
        self.BOUNCE_POLL_SECONDS = float(_env("BOUNCE_POLL_SECONDS", "300"))
        self.BOUNCE_WEBHOOK_SECRET = _env("BOUNCE_WEBHOOK_SECRET")
        self.INVITE_MAX_AGE = int(_env("INVITE_MAX_AGE", str(7 * 24 * 3600)))
        self.LOGIN_MAX_FAILURES = int(_env("LOGIN_MAX_FAILURES", "5"))
        self.LOGIN_WINDOW_SECONDS = int(_env("LOGIN_WINDOW_SECONDS", "900"))
        # The newsroom's page cache (off: every request renders from the database).
        self.NEWSROOM_CACHE = _flag("NEWSROOM_CACHE", True)
        # How long a process answers a newsroom page from memory before it asks the database
        # whether anything was published, withdrawn or lifted since (0: ask every time).
        self.NEWSROOM_FRESH_SECONDS = float(_env("NEWSROOM_FRESH_SECONDS", "1"))
        self.WORKER_POLL_SECONDS = float(_env("WORKER_POLL_SECONDS", "2"))
        # After this long in 'sending' a publication counts as abandoned by a dead worker.
        self.PUBLISH_STUCK_SECONDS = float(_env("PUBLISH_STUCK_SECONDS", "300"))
        # Send-outs to many (newsletter.deliver): persistent SMTP connections, an optional
        # rate limit in messages per second (0: none), and after how long a delivery left
        # claimed or 'sending' counts as abandoned by a dead worker.
        self.MAIL_CONNECTIONS = int(_env("MAIL_CONNECTIONS", "4"))
        self.MAIL_RATE = float(_env("MAIL_RATE", "0"))
        self.MAIL_STUCK_SECONDS = float(_env("MAIL_STUCK_SECONDS", "120"))
        # The RQ queue the clock fills and `flask worker` serves when REDIS_URL is set.
        self.RQ_QUEUE = _env("RQ_QUEUE", "commsdesk")
        # Fernet keys for channel credentials (comma-separated, the first encrypts); unset:
        # one is derived from SECRET_KEY.
        self.CREDENTIALS_KEY = _env("CREDENTIALS_KEY")
        # Channel addresses on private, loopback or link-local networks are refused (the
        # server would reach into its own network); allow them for a site on the intranet.
        self.CHANNEL_PRIVATE_HOSTS = _flag("CHANNEL_PRIVATE_HOSTS")
        # Monitoring: hosts a source may reach although they are on a private or loopback
        # network (comma or space separated; each organisation's admins can allow more), the
        # timeouts of one fetch (connect, each read, the whole fetch) and the largest feed.
        self.MONITOR_ALLOWED_HOSTS = (_env("MONITOR_ALLOWED_HOSTS", "")
                                      .replace(",", " ").split())
        self.MONITOR_CONNECT_TIMEOUT = float(_env("MONITOR_CONNECT_TIMEOUT", "5"))
        self.MONITOR_READ_TIMEOUT = float(_env("MONITOR_READ_TIMEOUT", "10"))
        self.MONITOR_DEADLINE = float(_env("MONITOR_DEADLINE", "15"))
        self.MONITOR_MAX_BYTES = int(_env("MONITOR_MAX_BYTES", str(5 * 1024 * 1024)))
        # Meta's Graph API (Facebook Pages, Instagram) and Threads API; another address only
        # for a test server or a proxy.
        self.GRAPH_API_URL = _env("GRAPH_API_URL", "https://graph.facebook.com")
        self.THREADS_API_URL = _env("THREADS_API_URL", "https://graph.threads.net")
        # Where LinkedIn's REST API and its OAuth token endpoint live (a local server in tests).
        self.LINKEDIN_API_URL = _env("LINKEDIN_API_URL", "https://api.linkedin.com")
        self.LINKEDIN_OAUTH_URL = _env("LINKEDIN_OAUTH_URL", "https://www.linkedin.com")
        # Reverse proxies in front that may be trusted to set X-Forwarded-For and -Proto;
        # 0: the address the request comes from is the client's (no proxy is trusted).
        self.PROXY_HOPS = int(_env("PROXY_HOPS", "0"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = _flag("COOKIE_SECURE", self.ENV == "production")
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.WTF_CSRF_TIME_LIMIT = None
        self.SECRET_KEY = _env("SECRET_KEY") or self._fallback_secret(instance_path)

    def _fallback_secret(self, instance_path):
        if self.ENV == "production":
            raise ConfigError(
                "COMMSDESK_SECRET_KEY is not set. Set it to a long random value "
                "(python -c 'import secrets; print(secrets.token_hex(32))'), "
                "or set COMMSDESK_ENV=development for local use."
            )
        key_file = Path(instance_path) / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key
