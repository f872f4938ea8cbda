"""A tiny IMAP4rev1 server (RFC 3501) for tests: one mailbox of messages served over a
threaded socketserver, with just what a bounce poller uses: CAPABILITY, LOGIN, SELECT,
UID SEARCH UNSEEN, UID FETCH (RFC822), UID STORE +FLAGS (\\Seen), LOGOUT."""
import re
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Stored:
    uid: int
    raw: bytes
    flags: set = field(default_factory=set)


class Mailbox:
    """The messages the server holds, and the logins it saw."""

    def __init__(self, user="bounces", password="secret"):
        self.user, self.password = user, password
        self.messages = []
        self.logins = []
        self.lock = threading.Lock()

    def add(self, raw):
        with self.lock:
            self.messages.append(Stored(len(self.messages) + 1, raw))

    def seen(self):
        return [m.uid for m in self.messages if "\\Seen" in m.flags]


class _Handler(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write(line if isinstance(line, bytes) else line.encode() + b"\r\n")

    def handle(self):
        box = self.server.mailbox
        self.send("* OK IMAP4rev1 test server ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1")
                self.send(f"{tag} OK CAPABILITY completed")
            elif command == "LOGIN":
                user, password = [a.strip('"') for a in args.split(" ", 1)]
                box.logins.append(user)
                ok = (user, password) == (box.user, box.password)
                self.send(f"{tag} OK LOGIN completed" if ok else f"{tag} NO LOGIN failed")
            elif command == "SELECT":
                self.send(f"* {len(box.messages)} EXISTS")
                self.send("* FLAGS (\\Seen)")
                self.send(f"{tag} OK [READ-WRITE] SELECT completed")
            elif command == "UID":
                self.uid(tag, args, box)
            elif command == "LOGOUT":
                self.send("* BYE logging out")
                self.send(f"{tag} OK LOGOUT completed")
                return
            else:
                self.send(f"{tag} BAD unknown command")

    def uid(self, tag, args, box):
        sub, _, rest = args.partition(" ")
        sub = sub.upper()
        with box.lock:
            if sub == "SEARCH" and rest.upper() == "UNSEEN":
                uids = [str(m.uid) for m in box.messages if "\\Seen" not in m.flags]
                self.send("* SEARCH" + "".join(f" {u}" for u in uids))
            elif sub == "FETCH" and re.fullmatch(r"\d+ \(RFC822\)", rest, re.I):
                message = self.find(box, rest)
                if message is not None:
                    self.send(f"* {message.uid} FETCH (UID {message.uid} RFC822 "
                              f"{{{len(message.raw)}}}")
                    self.send(message.raw + b")\r\n")
            elif sub == "STORE" and re.fullmatch(r"\d+ \+FLAGS \(\\Seen\)", rest, re.I):
                message = self.find(box, rest)
                if message is not None:
                    message.flags.add("\\Seen")
                    self.send(f"* {message.uid} FETCH (UID {message.uid} FLAGS (\\Seen))")
            else:
                self.send(f"{tag} BAD unsupported UID command")
                return
        self.send(f"{tag} OK UID {sub} completed")

    @staticmethod
    def find(box, rest):
        uid = int(rest.split(" ", 1)[0])
        return next((m for m in box.messages if m.uid == uid), None)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class ImapServer:
    """Start on a free port of 127.0.0.1; `stop()` after."""

    def __init__(self, mailbox):
        self.mailbox = mailbox
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.mailbox = mailbox
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
