"""Messages pushed to one user's open browser tabs (a ringing phone, a card swiped at a reader).

A writer anywhere — a web request, a job worker, the device service in its own process — adds a
row with :func:`push_to_user` inside its transaction. Each web worker runs one
:class:`~kernel.push.hub.PushHub` that reads new rows for every connected user at once and hands
them to that worker's server-sent-event streams (``/push/stream``). The rows, not memory, carry
the message, so it works across processes and several workers on SQLite and PostgreSQL alike.
"""

from kernel.push.models import PushMessage
from kernel.push.send import push_to_user

__all__ = ["PushMessage", "push_to_user"]
