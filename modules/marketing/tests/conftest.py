"""The marketing module's fixtures for its tests: the fake SMS panel, a real IMAP server
(Dovecot) and a real SMTP server that refuses chosen recipients."""

from modules.marketing.testing import fake_panel, imap_server
from modules.marketing.tests.mail_helpers import smtp

__all__ = ["fake_panel", "imap_server", "smtp"]
