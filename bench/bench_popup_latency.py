"""From an SMDR line to the pop-up in the browser (issue 14: ≤ 300 ms p95 on this machine).

    python bench/bench_popup_latency.py [--calls 100] [--workers 2] [--postgres URL]

The whole path, real parts only: a simulated Panasonic PBX prints each call on a pseudo-terminal →
the device service (pyserial, the SMDR driver, the telephony sink: the call and its push in one
transaction) → ``--workers`` web servers (uvicorn, each with its own push hub, as ``peyvand serve
--workers N`` runs them) on one database → headless Chromium signed in as the extension's user,
one tab on each server → ``push.js`` → ``popup.js`` fetches the caller's card and shows it.
For each call it prints the time from the line's write to the push event and to the pop-up on the
page (both clocks are this machine's), p50/p95/max, and checks that each pop-up came once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from bench_base import p  # noqa: E402
from bench_telephony_calls import kernel_for  # noqa: E402

POPUP = ".call-card[data-call]"
WATCH = """() => { window.lat = {push: {}, popup: {}};
  document.addEventListener('peyvand:push', e => {
    if (e.detail.kind === 'telephony.call') window.lat.push[e.detail.data.call_id] = Date.now(); });
  new MutationObserver(() => document.querySelectorAll('POPUP').forEach(el => {
    const id = el.getAttribute("data-call");
    if (!(id in window.lat.popup)) window.lat.popup[id] = Date.now(); }))
    .observe(document.body, {childList: true, subtree: true}); }""".replace("POPUP", POPUP)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--interval", type=float, default=0.3, help="seconds between calls")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--postgres", metavar="URL", help="an empty database (its tables are created)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select

    from devices.simulators.panasonic_pbx import PanasonicPbx, SimCall
    from kernel import utcnow
    from kernel.testing import PASSWORD, create_user, serving
    from kernel.timezone import to_local
    from modules.telephony.models import Call, Device, Extension
    from modules.telephony.runner import build_service

    home = Path(tempfile.mkdtemp(prefix="peyvand-latency-"))
    k = kernel_for(args.postgres or f"sqlite:///{home / 'bench.sqlite3'}", home)
    user = create_user(k, "operator", perms=("telephony.call.view", "base.partner.view", "base.communication.*"))
    from kernel.testing import create_record

    mobiles = [f"0912{n:07d}" for n in range(1_000_000, 1_000_000 + args.calls)]
    for n, mobile in enumerate(mobiles):
        create_record(k, None, "base.partner", kind="person", name=f"مشتری {n}", mobile="+98" + mobile[1:])
    exe = os.environ.get("PEYVAND_CHROMIUM", "/usr/bin/chromium")
    with ExitStack() as stack:
        pbx = stack.enter_context(PanasonicPbx(str(home / "pbx")))
        with k.session() as session:
            session.add(Device(name="bench", driver="panasonic_smdr", port=pbx.path))
            session.add(Extension(number="201", user_id=user))
        service = build_service(k, backoff_min=0.05, backoff_max=0.2).start()
        stack.callback(service.stop)
        urls = [stack.enter_context(serving(k)) for _ in range(max(1, args.workers))]
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=["--no-sandbox", "--disable-gpu"])
        stack.callback(browser.close)
        pages = []
        for url in urls:  # one browser profile per server: each tab is its own browser, no Web Lock shared
            page = browser.new_context(base_url=url, locale="fa-IR").new_page()
            page.goto("/login")
            page.fill("input[name=username]", "operator")
            page.fill("input[name=password]", PASSWORD)
            page.click("form.login button[type=submit]")
            page.wait_for_function("() => window.peyvandPush && window.peyvandPush.readyState === 1")
            page.evaluate(WATCH)
            pages.append(page)
        while not pbx.listening():
            time.sleep(0.05)
        written: dict[str, float] = {}
        start = to_local(utcnow(), k.config.timezone).replace(second=0, microsecond=0)
        for n, mobile in enumerate(mobiles):
            at = start + dt.timedelta(minutes=n)
            written[mobile] = time.time() * 1000
            pbx.call(SimCall(mobile, at, extension="201", duration_seconds=30 + n))
            time.sleep(args.interval)
        time.sleep(2.0)
        with k.sessions() as session:
            ids = dict(session.execute(select(Call.number, Call.id)).all())
        to_push: list[float] = []
        to_popup: list[float] = []
        doubles = 0
        for page in pages:
            lat = page.evaluate("window.lat")
            shown = page.evaluate(f"document.querySelectorAll('{POPUP}').length")
            doubles += max(0, shown - len(lat["popup"]))
            for mobile, t0 in written.items():
                call = str(ids.get(mobile))
                if call in lat["push"]:
                    to_push.append(lat["push"][call] - t0)
                if call in lat["popup"]:
                    to_popup.append(lat["popup"][call] - t0)
        want = len(mobiles) * len(pages)
        print(f"engine {k.engine.dialect.name}; {len(mobiles)} calls, {len(pages)} web server(s), one tab on each")
        for name, values in (("line → push event", to_push), ("line → pop-up shown", to_popup)):
            if values:
                print(f"{name}: {len(values)}/{want}  p50 {statistics.median(values):.0f} ms  "
                      f"p95 {p(values, 0.95):.0f} ms  max {max(values):.0f} ms")
            else:
                print(f"{name}: none arrived")
        print(f"pop-ups shown more than once: {doubles}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
