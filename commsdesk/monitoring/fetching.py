"""Fetching a source's URL safely. The contract: `fetch` returns a Fetched or raises
FetchError with a message in plain words; nothing else escapes.

Safety: only http and https; every address a URL resolves to must be public (not loopback,
private, link-local, multicast, reserved or unspecified, IPv4-mapped IPv6 included) unless
the host is allowed by the operator (COMMSDESK_MONITOR_ALLOWED_HOSTS) or the organisation's
admins (the setting "monitoring.allowed_hosts"); redirects are followed here, hop by hop,
each checked again. The connection goes to the address that was checked (DNS rebinding: a
second lookup by the HTTP library could answer otherwise); for https the certificate is
still verified against the host name. Limits: connect and read timeouts, a deadline for the
whole body (a server that drips), and a size limit on the decoded body (a gzip bomb)."""
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from flask import current_app
from flask_babel import gettext as _

from .. import org_settings

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
ALLOWED_HOSTS_SETTING = "monitoring.allowed_hosts"
USER_AGENT = "commsdesk monitor (+https://github.com/commsdesk)"


class FetchError(Exception):
    """The fetch failed; str() is a message for the secretary, in plain words."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


@dataclass
class Fetched:
    url: str                  # after redirects
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self):
        return self.status == 304


@dataclass
class Limits:
    connect: float
    read: float
    deadline: float


def limits():
    """The timeouts of one fetch, from the configuration."""
    config = current_app.config
    return Limits(float(config.get("MONITOR_CONNECT_TIMEOUT", 5)),
                  float(config.get("MONITOR_READ_TIMEOUT", 10)),
                  float(config.get("MONITOR_DEADLINE", 15)))


def _normal_host(host):
    host = (host or "").strip().strip("[]").lower().rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def parse_hosts(text):
    """Host names or addresses from text, one a line (or separated by spaces or commas)."""
    return [_normal_host(word) for word in (text or "").replace(",", " ").split()]


def allowed_hosts(organisation_id=None):
    """The hosts sources may reach on private networks: the operator's and the
    organisation's (normalised, lower-case)."""
    hosts = set(parse_hosts(" ".join(current_app.config.get("MONITOR_ALLOWED_HOSTS") or ())))
    if organisation_id is not None:
        value = org_settings.read(organisation_id, [ALLOWED_HOSTS_SETTING]).get(
            ALLOWED_HOSTS_SETTING)
        hosts.update(parse_hosts(value))
    return hosts


def is_public(address):
    """Whether an IP address is on the public internet (what a source may reach)."""
    address = ipaddress.ip_address(address)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private or address.is_loopback or address.is_link_local
        or address.is_multicast or address.is_reserved or address.is_unspecified)


def check_url(url, allowed=()):
    """(parts, address to connect to) for a URL a source may fetch; FetchError otherwise.
    Nothing is connected to here."""
    parts = urlsplit((url or "").strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(_("Only web addresses (http or https) can be followed, not %(scheme)s.",
                           scheme=(parts.scheme or "?") + ":"))
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        raise FetchError(_("The address has an invalid port.")) from None
    host = _normal_host(parts.hostname)
    if not host:
        raise FetchError(_("The address has no host name."))
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise FetchError(_("The host %(host)s could not be found.", host=host)) from None
    addresses = [info[4][0].split("%")[0] for info in infos]
    if host not in allowed:
        for address in addresses:
            if not is_public(address):
                raise FetchError(_(
                    "%(host)s is on a private or local network (%(address)s), which is "
                    "refused for safety. An admin can allow that host in the sources' "
                    "settings.", host=host, address=address))
    return parts, addresses[0]


class PinnedAdapter(requests.adapters.HTTPAdapter):
    """Connects to the address that was checked, whatever DNS answers later; https still
    verifies the certificate for the host name (SNI and hostname check)."""

    def __init__(self, address, hostname):
        self.address, self.hostname = address, hostname
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert)
        host_params["host"] = self.address
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = self.hostname
            pool_kwargs["assert_hostname"] = self.hostname
        return host_params, pool_kwargs


def _request_headers(parts, accept, etag, last_modified):
    headers = {"Accept": accept, "User-Agent": USER_AGENT,
               "Accept-Encoding": "gzip, deflate"}
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # an IP address or a name the lookup already accepted
    # The connection goes to an address, so the Host header names the site.
    headers["Host"] = (f"[{host}]" if ":" in host else host) + (
        f":{parts.port}" if parts.port else "")
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _get(url, parts, address, headers, limit):
    session = requests.Session()
    session.trust_env = False  # a proxy from the environment would bypass the address check
    adapter = PinnedAdapter(address, parts.hostname)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    try:
        return session, session.get(url, headers=headers, allow_redirects=False, stream=True,
                                    timeout=(limit.connect, limit.read))
    except requests.exceptions.SSLError:
        session.close()
        raise FetchError(_("The secure connection to %(host)s could not be verified.",
                           host=parts.hostname)) from None
    except requests.exceptions.ConnectTimeout:
        session.close()
        raise FetchError(_("%(host)s did not answer within %(seconds)s seconds.",
                           host=parts.hostname, seconds=f"{limit.connect:g}")) from None
    except requests.exceptions.ReadTimeout:
        session.close()
        raise FetchError(_("%(host)s did not answer within %(seconds)s seconds.",
                           host=parts.hostname, seconds=f"{limit.read:g}")) from None
    except requests.RequestException:
        session.close()
        raise FetchError(_("Could not connect to %(host)s.", host=parts.hostname)) from None


def fetch(url, etag=None, last_modified=None, max_bytes=MAX_BYTES, organisation_id=None,
          accept="*/*"):
    """GET `url` (conditional when etag/last_modified are given) within the limits,
    following at most MAX_REDIRECTS redirects, each one checked again."""
    allowed = allowed_hosts(organisation_id)
    limit = limits()
    started = time.monotonic()
    seen = set()
    for _hop in range(MAX_REDIRECTS + 1):
        seen.add(url)
        parts, address = check_url(url, allowed)
        session, response = _get(url, parts, address,
                                 _request_headers(parts, accept, etag, last_modified), limit)
        try:
            if response.status_code not in REDIRECTS:
                return _answer(url, response, max_bytes, started, limit)
            url = _next_hop(url, response, seen)
        finally:
            response.close()
            session.close()
    raise FetchError(_("The server sent the request on more than %(count)d times.",
                       count=MAX_REDIRECTS))


def _next_hop(url, response, seen):
    location = response.headers.get("Location")
    if not location:
        raise FetchError(_("The server redirected without saying where."),
                         status=response.status_code)
    target = urljoin(url, location.strip())
    if target in seen:
        raise FetchError(_("The server sends the request round in a loop of redirects."),
                         status=response.status_code)
    return target


def _answer(url, response, max_bytes, started, limit):
    status = response.status_code
    if status == 304:
        return Fetched(url=url, status=304, headers=dict(response.headers),
                       etag=response.headers.get("ETag"),
                       last_modified=response.headers.get("Last-Modified"))
    if status >= 400 or status < 200:
        raise FetchError(http_problem(status, response.reason), status=status)
    body = _read(response, max_bytes, started, limit)
    return Fetched(url=url, status=status, body=body, headers=dict(response.headers),
                   etag=response.headers.get("ETag"),
                   last_modified=response.headers.get("Last-Modified"))


def http_problem(status, reason):
    """An HTTP error status in plain words."""
    answer = f"{status} {reason or ''}".strip()
    if status in (404, 410):
        return _("The server answered %(answer)s: the address may have moved.", answer=answer)
    if status in (401, 403):
        return _("The server answered %(answer)s: it does not let us read this address.",
                 answer=answer)
    if status == 429:
        return _("The server answered %(answer)s: it asks us to come back later.",
                 answer=answer)
    if status >= 500:
        return _("The server answered %(answer)s: it has a problem of its own; it is tried "
                 "again later.", answer=answer)
    return _("The server answered %(answer)s.", answer=answer)


def _too_large(max_bytes):
    return FetchError(_("The answer is larger than %(size)s MB, the most a source may send.",
                        size=f"{max_bytes / 1024 / 1024:g}"))


def _read(response, max_bytes, started, limit):
    """The decoded body, refused past max_bytes (read no further) or past the deadline.
    read1 returns after one network read, so a server that drips a byte at a time is
    stopped at the deadline (its headers are bounded by the read timeout alone)."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise _too_large(max_bytes)
    chunks, size = [], 0
    try:
        while True:
            if time.monotonic() - started > limit.deadline:
                raise FetchError(_("The server took longer than %(seconds)s seconds to send "
                                   "its answer.", seconds=f"{limit.deadline:g}"))
            chunk = response.raw.read1(CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            chunks.append(chunk)
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise FetchError(_("The server stopped sending for more than %(seconds)s seconds.",
                           seconds=f"{limit.read:g}")) from exc
    except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
        raise FetchError(_("The answer broke off or could not be unpacked.")) from exc
    return b"".join(chunks)
