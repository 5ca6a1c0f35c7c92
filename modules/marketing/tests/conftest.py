"""The SMS pipe's fixtures for the module's tests."""

from modules.marketing.testing import fake_panel

__all__ = ["fake_panel"]
