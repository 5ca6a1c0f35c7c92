"""The rows one invoice's payment plan and one cheque become, for ``bench/gen_payments.py``
(issue 12): the plan and its instalments, the payments with their allocations and receipts, the
cheques with their states by due date and their history rows. Pure Python: nothing here reads or
writes the database (``gen_payments.py`` loads what is drawn from and writes the rows)."""

from __future__ import annotations

import datetime as dt
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "bench"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import gen_partners as gen  # noqa: E402

LOADED = ("finance_cheque", "finance_cheque_event", "finance_instalment", "finance_payment", "finance_allocation",
          "finance_receipt")
BRANCHES = ("مرکزی", "ونک", "بازار", "میدان انقلاب", "شعبه اصلی", "جردن", "ستارخان", "چهارباغ", "امام رضا", "پاسداران")


# -- the world the rows are drawn from ---------------------------------------------------------------
@dataclass
class World:
    today: dt.date
    admin: int
    banks: list[int]
    accounts: list[int]
    terminals: list[tuple[int, int]]  # (terminal, its account)
    suppliers: list[int]
    names: dict[int, str]
    fields: Any
    plans: dict[int, tuple[int, bool, bool]] = field(default_factory=dict)  # invoice → (count, cash?, cheques?)


@dataclass
class Rows:
    """The rows of one batch, and the id counters they advance."""

    ids: dict[str, int]
    out: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {n: [] for n in LOADED})
    received: dict[int, int] = field(default_factory=dict)  # invoice → its receipts' sum

    def add(self, table: str, row: dict[str, Any]) -> int:
        self.ids[table] += 1
        row["id"] = self.ids[table]
        self.out[table].append(row)
        return row["id"]


def stamp(world: World, day: dt.date, rnd: random.Random) -> dict[str, Any]:
    at = dt.datetime.combine(day, dt.time(rnd.randint(5, 13), rnd.randrange(60)))  # 08:30–17:30 Tehran, UTC
    return {"owner_id": world.admin, "created_at": at, "updated_at": at, "deleted_at": None,
            "created_by_id": world.admin, "updated_by_id": world.admin}


# -- one cheque and its history ---------------------------------------------------------------------
def cheque_story(world: World, rnd: random.Random, received: dt.date, due: dt.date) -> list[tuple[str, dt.date]]:
    """The states a cheque went through by "today", each with its day; the first is received."""
    today = world.today
    story = [("received", received)]

    def then(state: str, on: dt.date) -> dt.date:
        on = min(max(on, story[-1][1]), today)
        story.append((state, on))
        return on

    r = rnd.random()
    if due <= today - dt.timedelta(days=7):
        safe = then("in_safe", received + dt.timedelta(days=rnd.randint(0, 2)))
        if r < 0.06:
            then("endorsed", min(safe + dt.timedelta(days=rnd.randint(1, 40)), due))
            return story
        if r < 0.065:
            then("returned", safe + dt.timedelta(days=rnd.randint(1, 30)))
            return story
        deposited = then("deposited", due + dt.timedelta(days=rnd.randint(0, 2)))
        if r < 0.12:
            bounced = then("bounced", deposited + dt.timedelta(days=rnd.randint(1, 3)))
            if r < 0.09:
                then("legal", bounced + dt.timedelta(days=rnd.randint(5, 30)))
            elif r < 0.10:
                then("returned", bounced + dt.timedelta(days=rnd.randint(3, 20)))
            return story
        then("cleared", deposited + dt.timedelta(days=rnd.randint(1, 3)))
    elif due <= today:
        then("in_safe", received + dt.timedelta(days=rnd.randint(0, 2)))
        if r < 0.9:
            deposited = then("deposited", due)
            if r < 0.2:
                then("cleared", deposited + dt.timedelta(days=1))
    else:
        if r < 0.15:
            return story
        safe = then("in_safe", received + dt.timedelta(days=rnd.randint(0, 2)))
        if r < 0.27:
            then("endorsed", safe + dt.timedelta(days=rnd.randint(1, 30)))
        elif (due - today).days <= 3:
            then("deposited", today)
    return story


def cheque(world: World, rows: Rows, rnd: random.Random, *, partner: int, invoice: int | None, amount: int,
           due: dt.date, received: dt.date, bank: int, number: int, serial: int) -> tuple[int, list[tuple[str, dt.date]]]:
    from kernel.persian.search_keys import compute

    story = cheque_story(world, rnd, received, due)
    state, on = story[-1]
    states = [s for s, _ in story]
    row = {"partner_id": partner, "invoice_id": invoice, "amount": amount, "number": f"{number:06d}",
           # 16 digits, unique over every cheque (so per bank): a bijection of the running serial.
           "sayad_id": str(10**15 + gen.permute(serial, 7_919_317_133, 271_828_182, 9 * 10**15)),
           "bank_id": bank, "branch": rnd.choice(BRANCHES),
           "drawn_on": gen.wchoice(rnd, (("current", 85), ("gharz", 10), ("other", 5))),
           "account_number": f"{rnd.randrange(10**9, 10**10)}", "due_date": due, "received_on": received,
           "issuer": world.names.get(partner, "مشتری"), "issuer_national_id": None, "state": state,
           "revision": len(story) - 1, "state_on": on if len(story) > 1 else None,
           "endorsed_to_id": rnd.choice(world.suppliers) if "endorsed" in states and world.suppliers else None,
           "deposit_account_id": rnd.choice(world.accounts) if "deposited" in states else None,
           "notes": None, **stamp(world, received, rnd)}
    row["updated_at"] = dt.datetime.combine(on, row["created_at"].time())
    row["search_key"] = compute(SimpleNamespace(**row), world.fields)
    cid = rows.add("finance_cheque", row)
    before = None
    for st, day in story:
        rows.add("finance_cheque_event", {
            "cheque_id": cid, "at": dt.datetime.combine(day, dt.time(rnd.randint(5, 13), rnd.randrange(60))),
            "on": day, "user_id": world.admin, "from_state": before, "to_state": st, "note": None,
            "endorsed_to_id": row["endorsed_to_id"] if st == "endorsed" else None,
            "account_id": row["deposit_account_id"] if st == "deposited" else None})
        before = st
    return cid, story


# -- one invoice's plan ----------------------------------------------------------------------------------
def pay(world: World, rows: Rows, rnd: random.Random, inv: tuple[Any, ...], kind: str, amount: int, on: dt.date,
        parts: dict[int, int], *, state: str = "cleared", cleared_on: dt.date | None = None,
        cheque_id: int | None = None) -> None:
    """One payment, its allocations and (cleared) its receipt."""
    inv_id, partner = int(inv[0]), int(inv[1])
    terminal, account = rnd.choice(world.terminals) if kind == "pos" else (None, None)
    if kind == "slip":
        account = rnd.choice(world.accounts)
    cleared_on = cleared_on or (on if state == "cleared" else None)
    pid = rows.add("finance_payment", {
        "invoice_id": inv_id, "partner_id": partner, "kind": kind, "state": state, "date": on, "amount": amount,
        "cleared_on": cleared_on, "cheque_id": cheque_id,
        "slip_number": f"{rnd.randrange(10**7, 10**8)}" if kind == "slip" else None,
        "payer_name": world.names.get(partner) if kind == "slip" else None, "account_id": account,
        "terminal_id": terminal, "trace_number": f"{rnd.randrange(10**5, 10**6)}" if kind == "pos" else None,
        "note": None, "reminder_id": None, **stamp(world, on, rnd)})
    for instalment, part in parts.items():
        rows.add("finance_allocation", {"payment_id": pid, "instalment_id": instalment, "amount": part})
    if state == "cleared":
        assert cleared_on is not None
        rows.add("finance_receipt", {"invoice_id": inv_id, "date": cleared_on, "amount": amount,
                                     "method": kind if kind in ("slip", "pos", "cheque") else "cash", "note": None,
                                     "payment_id": pid, **stamp(world, cleared_on, rnd)})
        rows.received[inv_id] = rows.received.get(inv_id, 0) + amount


def plan(world: World, rows: Rows, rnd: random.Random, inv: tuple[Any, ...], serials: list[int]) -> int:
    """The invoice's plan, its payments and cheques; returns the cheques written."""
    from modules.finance.plan_dates import monthly, split

    inv_id, partner, day, total = int(inv[0]), int(inv[1]), inv[2], int(inv[3])
    count, has_cash, by_cheque = world.plans[inv_id]
    cash = total * rnd.randint(10, 40) // 100 // 10_000 * 10_000 if has_cash else 0
    if total - cash < count:
        cash = 0
    parts = [(day, cash)] if has_cash else []
    parts += list(zip(monthly(day, count + 1)[1:], split(total - cash, count), strict=True))
    ids: list[int] = []
    paid: dict[int, tuple[int, dt.date | None]] = {}  # instalment → cleared money, the last day of it
    for pos, (due, amount) in enumerate(parts, start=0 if has_cash else 1):
        ids.append(rows.add("finance_instalment", {
            "invoice_id": inv_id, "position": pos, "is_cash": has_cash and pos == 0, "due_date": due,
            "amount": amount, "paid": 0, "state": "open", "paid_on": None, "reminder_id": None,
            **stamp(world, day, rnd)}))

    def cleared(iid: int, amount: int, on: dt.date) -> None:
        got, last = paid.get(iid, (0, None))
        paid[iid] = (got + amount, max(on, last) if last else on)

    made, today = 0, world.today
    bank, book = rnd.choice(world.banks), rnd.randrange(100_000, 990_000)
    for iid, (due, amount), pos in zip(ids, parts, range(len(parts)), strict=True):
        if has_cash and pos == 0:
            if cash and rnd.random() < 0.98:
                pay(world, rows, rnd, inv, "cash", amount, day, {iid: amount})
                cleared(iid, amount, day)
            continue
        if by_cheque:
            cid, story = cheque(world, rows, rnd, partner=partner, invoice=inv_id, amount=amount, due=due,
                                received=day, bank=bank, number=book + made, serial=serials[0] + made)
            made += 1
            states = [s for s, _ in story]
            if "cleared" in states:
                on = story[-1][1]
                pay(world, rows, rnd, inv, "cheque", amount, day, {iid: amount}, cleared_on=on, cheque_id=cid)
                cleared(iid, amount, on)
            else:
                state = "bounced" if "bounced" in states else "cancelled" if states[-1] == "returned" else "pending"
                pay(world, rows, rnd, inv, "cheque", amount, day, {iid: amount}, state=state, cheque_id=cid)
                bounce = next((d for s, d in story if s == "bounced"), None)
                if bounce and (today - bounce).days > 30 and rnd.random() < 0.5:
                    on = bounce + dt.timedelta(days=rnd.randint(7, 30))  # paid again in cash
                    pay(world, rows, rnd, inv, "cash", amount, on, {iid: amount})
                    cleared(iid, amount, on)
            continue
        r = rnd.random()
        kind = gen.wchoice(rnd, (("cash", 50), ("pos", 25), ("slip", 25)))
        if due <= today and r < 0.9:
            on = min(due + dt.timedelta(days=rnd.randint(-5, 25)), today)
            part = amount if r < 0.82 else amount * rnd.randint(30, 70) // 100
            pay(world, rows, rnd, inv, kind, part, on, {iid: part})
            cleared(iid, part, on)
        elif due > today and r < 0.04:
            on = today - dt.timedelta(days=rnd.randint(0, max(0, min(30, (today - day).days))))
            pay(world, rows, rnd, inv, kind, amount, on, {iid: amount})
            cleared(iid, amount, on)
    for row in rows.out["finance_instalment"][-len(ids):]:  # what plans.recount writes
        got, last = paid.get(row["id"], (0, None))
        row["paid"] = got
        row["state"] = "paid" if got >= row["amount"] else "partly" if got else "open"
        row["paid_on"] = last if row["state"] == "paid" else None
    rows.received.setdefault(inv_id, 0)
    return made


def loose_cheques(world: World, rows: Rows, rnd: random.Random, partners: list[int], count: int,
                  serial: int) -> None:
    """Cheques in the register that pay no plan (no invoice): received over the two years."""
    span = 730
    for i in range(count):
        received = world.today - dt.timedelta(days=span * (count - i) // count)
        due = received + dt.timedelta(days=rnd.choice((0, 15, 30, 45, 60, 90, 120, 180)))
        amount = rnd.choice((rnd.randrange(5, 200), rnd.randrange(200, 5_000))) * 1_000_000
        cheque(world, rows, rnd, partner=rnd.choice(partners), invoice=None, amount=amount, due=due,
               received=received, bank=rnd.choice(world.banks), number=rnd.randrange(100_000, 999_999),
               serial=serial + i)


