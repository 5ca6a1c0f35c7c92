"""A local SMS panel for tests and the demo: a real HTTP server speaking the documented APIs of
Kavenegar, SMS.ir, IPPanel (FarazSMS) and Melipayamak closely enough for the adapters in
:mod:`modules.marketing.adapters`, with delivery reports (a mobile ending in 9 is never
delivered), inbound messages, failures on demand (refused, lost or late calls, no credit) and a
count of what it really sent per local id and per mobile, so a test can assert exactly-once."""

from modules.marketing.fake_panel.server import FakePanel
from modules.marketing.fake_panel.state import PanelState, parts

__all__ = ["FakePanel", "PanelState", "parts"]
