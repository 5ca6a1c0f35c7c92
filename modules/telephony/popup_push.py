"""The pop-up's push: a call reported for an extension whose user has pop-ups on is pushed to
that user's open tabs, in the transaction that writes the call (delivered only if it commits,
so a call rolled back, or a repeat the sink drops, pushes nothing)."""

from __future__ import annotations

from typing import Any

from kernel import Preference, push_to_user
from modules.telephony.events import CallLogged

KIND = "telephony.call"
PREFERENCE = "telephony.popups"
# FAQ 39: some users find the pop-up in the way; each turns it off on /preferences.
POPUPS = Preference(PREFERENCE, "Show incoming call pop-ups", True)


def announce(kernel: Any, session: Any, event: CallLogged) -> None:
    if event.user_id is None:
        return  # an extension no user answers (or no extension at all): nobody to tell
    if not kernel.user_preference(session, event.user_id, PREFERENCE):
        return
    push_to_user(session, event.user_id, KIND, {"call_id": event.call_id})
