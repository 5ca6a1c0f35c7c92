"""The carpet module's fixtures: marketing's fake SMS panel (a real HTTP server)."""

from modules.marketing.testing import fake_panel

__all__ = ["fake_panel"]
