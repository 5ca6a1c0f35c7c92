"""A real IMAP server for tests: Dovecot (``dovecot-imapd``, scripts/install-debs.sh test)
started as a non-root process on 127.0.0.1 and a free port, with a throw-away configuration and
Maildir, one user (``peyvand`` / ``secret``) and no TLS. Mail is put in with IMAP APPEND, as a
mail server would deliver it. Used by the ``imap_server`` fixture (modules/marketing/testing.py).

Run as root (a CI container), it runs as ``nobody``: Dovecot's services then all run as one user
and need no privileges."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "peyvand", "secret"

_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ImapServer:
    """``host``, ``port``, ``user``, ``password``; :meth:`append` puts one raw mail in the INBOX."""

    def __init__(self) -> None:
        self.host, self.user, self.password = "127.0.0.1", USER, PASSWORD
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="peyvand-imap-"))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ImapServer:
        if not Path(DOVECOT).exists():
            raise RuntimeError("dovecot is not installed: scripts/install-debs.sh test (dovecot-imapd)")
        run_as = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
        import grp

        group = grp.getgrgid(run_as.pw_gid).gr_name
        for sub in ("run", "state", "home", "Maildir"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        conf = self.root / "dovecot.conf"
        conf.write_text(_CONF.format(root=self.root, user=run_as.pw_name, group=group, port=self.port,
                                     password=self.password, uid=run_as.pw_uid, gid=run_as.pw_gid))
        if os.geteuid() == 0:
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, run_as.pw_uid, run_as.pw_gid)
        drop: dict[str, Any] = {"user": run_as.pw_uid, "group": run_as.pw_gid, "extra_groups": []} \
            if os.geteuid() == 0 else {}
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env={"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")}, **drop)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot stopped: {self._log()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not start: {self._log()}")

    def _log(self) -> str:
        log = self.root / "dovecot.log"
        err = self.process.stderr.read().decode() if self.process and self.process.stderr and \
            self.process.poll() is not None else ""
        return (log.read_text() if log.exists() else "") + err

    def client(self) -> Any:
        from imap_tools import MailBoxUnencrypted

        return MailBoxUnencrypted(self.host, self.port).login(self.user, self.password)

    def append(self, raw: bytes) -> None:
        with self.client() as box:
            box.append(raw, "INBOX")

    def settings(self) -> dict[str, Any]:
        """The value of the setting ``marketing.imap`` pointing at this server."""
        return {"host": self.host, "port": self.port, "user": self.user, "password": self.password, "ssl": False}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
