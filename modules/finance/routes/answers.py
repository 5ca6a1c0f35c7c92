"""How a finance form's POST answers (a cheque's change of state, a plan's forms): the work runs
in one transaction; refusals come back on the form — a field's Persian message beside it (400), a
conflict above it (409) — nothing changed; success flashes "Saved." and goes to ``done``. A
missing record or a refused permission goes on to the kernel's own 404/403 pages."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError
from kernel.records import FormErrors
from kernel.web.forms import error_text, flash, redirect

Page = Callable[[dict[str, str], int], Response]  # the form again, with its errors and a status


def answer(request: Request, work: Callable[[], object], page: Page, done: str) -> Response:
    try:
        work()
    except FormErrors as exc:
        return page({k: error_text(request, v) for k, v in exc.errors.items()}, 400)
    except (Conflict, InputError) as exc:
        return page({"__all__": error_text(request, exc)}, 409)
    flash(request, "Saved.")
    return redirect(done)
