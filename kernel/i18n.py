"""The message catalogue (English msgid → Persian text) and the Jinja filters that localise pages.

Messages are keyed by their English text, so English needs no catalogue and a missing
translation degrades to readable English. Catalogue files live in ``<dir>/<lang>/*.json``;
the kernel's are in ``kernel/i18n/``, and each module may ship its own directory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from kernel.persian.hijri import format_hijri
from kernel.persian.jalali import Style, format_gregorian, format_jalali
from kernel.persian.money import Unit, format_money
from kernel.persian.numbers import format_code, format_number, format_percent
from kernel.persian.phones import format_phone
from kernel.persian.textnorm import ltr_isolate, to_persian_digits
from kernel.persian.words import amount_in_words, number_to_words
from kernel.timezone import DEFAULT_TZ, to_local

LANGS: tuple[str, ...] = ("fa", "en")
DEFAULT_LANG = "fa"
KERNEL_CATALOG_DIR = Path(__file__).with_name("i18n")


def direction(lang: str) -> Literal["rtl", "ltr"]:
    """The text direction of a language, for ``<html dir=…>``."""
    return "rtl" if lang == "fa" else "ltr"


def accept_language(header: str) -> str:
    """The language of an API answer: "fa" when ``Accept-Language`` puts Persian first (by its
    q-values), English otherwise. An API client has no session or user setting to say it."""
    best, best_q = "", -1.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().lower().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and q > best_q:
            best, best_q = tag, q
    return "fa" if best.split("-")[0].strip().lower() == "fa" else "en"


class _Params(dict[str, Any]):
    """Leaves an unknown ``{slot}`` visible instead of failing the page that shows the message."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalog:
    """Translations per language; one instance per Kernel (no global state)."""

    def __init__(self) -> None:
        self._messages: dict[str, dict[str, str]] = {}
        self._origins: dict[tuple[str, str], str] = {}

    def add(self, lang: str, mapping: Mapping[str, str], origin: str = "<code>") -> None:
        """Add translations for ``lang``.

        Two sources translating one msgid differently is an error naming both: a silent
        last-one-wins would make the text depend on module load order. Every clash of the
        mapping is reported at once, and nothing of a clashing mapping is kept.
        """
        clashes = self._add(lang, mapping, origin)
        if clashes:
            raise ValueError(_clash_report(clashes))

    def _add(self, lang: str, mapping: Mapping[str, str], origin: str) -> list[str]:
        messages = self._messages.setdefault(lang, {})
        clashes: list[str] = []
        for msgid, text in mapping.items():
            if not isinstance(msgid, str) or not isinstance(text, str):
                raise ValueError(f"{origin}: catalogue entries must map strings to strings ({msgid!r})")
            if msgid in messages and messages[msgid] != text:
                first = self._origins[lang, msgid]
                clashes.append(f"{origin}: {lang} translation of {msgid!r} ({text!r}) differs from the one "
                               f"in {first} ({messages[msgid]!r})")
        if clashes:
            return clashes
        for msgid, text in mapping.items():
            messages[msgid] = text
            self._origins.setdefault((lang, msgid), origin)
        return []

    def load_dir(self, path: str | Path) -> Catalog:
        """Load every ``<path>/<lang>/*.json`` file (a flat JSON object msgid → text)."""
        return self.load_dirs([path])

    def load_dirs(self, paths: list[str | Path] | list[Path]) -> Catalog:
        """Load several catalogue directories (the kernel's, then each module's) and report every
        clash among all their files in one error, so a module author fixes them in one pass."""
        clashes: list[str] = []
        for path in paths:
            for lang_dir in sorted(p for p in Path(path).iterdir() if p.is_dir()):
                for file in sorted(lang_dir.glob("*.json")):
                    data = json.loads(file.read_text(encoding="utf-8"))
                    if not isinstance(data, dict):
                        raise ValueError(f"{file}: a catalogue file must hold one JSON object")
                    clashes += self._add(lang_dir.name, data, origin=str(file))
        if clashes:
            raise ValueError(_clash_report(clashes))
        return self

    def has(self, lang: str, msgid: str) -> bool:
        """Whether ``msgid`` has a translation in ``lang``."""
        return msgid in self._messages.get(lang, {})

    def gettext(self, lang: str, msgid: str, **params: Any) -> str:
        """The message in ``lang`` (the msgid itself when untranslated) with its slots filled.

        In Persian, number parameters are written with Persian digits (without grouping, so
        years stay "۱۴۰۴"); text parameters such as what the user typed are left as they are. A
        parameter that knows how to show itself (``localized(lang)``, e.g.
        ``kernel.persian.money.Amount``) is shown in ``lang``.
        """
        text = self._messages.get(lang, {}).get(msgid, msgid)
        if not params:
            return text
        params = {k: _param(v, lang) for k, v in params.items()}
        try:
            return text.format_map(_Params(params))
        except (IndexError, ValueError):
            return text

    def message(self, lang: str, error: Exception) -> str:
        """The translated text of an ``InputError`` or ``Conflict`` (anything with msgid/params)."""
        msgid = getattr(error, "msgid", None)
        if msgid is None:
            return str(error)
        return self.gettext(lang, msgid, **getattr(error, "params", {}))


def _clash_report(clashes: list[str]) -> str:
    head = f"{len(clashes)} translation clash{'es' if len(clashes) > 1 else ''} (one msgid, two texts):"
    return "\n  ".join([head, *clashes])


def _param(value: Any, lang: str) -> Any:
    localized = getattr(value, "localized", None)
    if callable(localized):
        return localized(lang)
    if lang != "fa" or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return to_persian_digits(str(value))


def kernel_catalog() -> Catalog:
    """A catalogue with the kernel's own messages loaded; modules add theirs with ``load_dir``."""
    return Catalog().load_dir(KERNEL_CATALOG_DIR)


def _lang(ctx: Context) -> str:
    lang = ctx.get("lang")
    return lang if lang in LANGS else DEFAULT_LANG


def install_jinja(env: Environment, catalog: Catalog) -> None:
    """Add the localising filters and globals; each reads the language from the ``lang`` variable.

    Filters: ``jdate(style="short")``, ``jdatetime``, ``gdate(style="long")``, ``hijri``
    (corrections from ``hijri_corrections``), ``money(unit=None, with_unit=True)`` (unit
    from ``money_unit``, default Rial), ``number``, ``percent`` (۹٫۵٪), ``digits``, ``phone``, ``code`` (a document
    number: Persian digits, isolated left to right),
    ``words(unit=None)`` (an amount in words when a unit is given). Globals: ``_`` and
    ``t(msgid, **params)``, ``direction(lang)``, ``LANGS``.
    """

    @pass_context
    def jdate(ctx: Context, value: dt.date | None, style: Style = "short") -> str:
        return format_jalali(value, _lang(ctx), style)

    @pass_context
    def jdatetime_(ctx: Context, value: dt.date | None) -> str:
        # Stored datetimes are naive UTC; show the wall clock of the instance's time zone.
        if isinstance(value, dt.datetime):
            value = to_local(value, ctx.get("tz") or DEFAULT_TZ)
        return format_jalali(value, _lang(ctx), "datetime")

    @pass_context
    def gdate(ctx: Context, value: dt.date | None, style: Style = "long") -> str:
        return format_gregorian(value, _lang(ctx), style)

    @pass_context
    def hijri(ctx: Context, value: dt.date | None) -> str:
        return "" if value is None else format_hijri(value, _lang(ctx), ctx.get("hijri_corrections"))

    @pass_context
    def money(ctx: Context, value: int | None, unit: Unit | None = None, with_unit: bool = True) -> str:
        if value is None:
            return ""
        return format_money(value, unit or ctx.get("money_unit") or "rial", _lang(ctx), with_unit)

    @pass_context
    def number(ctx: Context, value: int | Decimal | None) -> str:
        return "" if value is None else format_number(value, _lang(ctx))

    @pass_context
    def percent(ctx: Context, value: int | Decimal | None) -> str:
        return "" if value is None else format_percent(value, _lang(ctx))

    @pass_context
    def digits(ctx: Context, value: Any) -> str:
        text = "" if value is None else str(value)
        return to_persian_digits(text) if _lang(ctx) == "fa" else text

    @pass_context
    def phone(ctx: Context, value: str | None) -> str:
        if not value:
            return ""
        text = format_phone(value, _lang(ctx))
        return ltr_isolate(text) if _lang(ctx) == "fa" else text

    @pass_context
    def code(ctx: Context, value: str | None) -> str:
        return format_code(value, _lang(ctx))

    @pass_context
    def words(ctx: Context, value: int | None, unit: Unit | None = None) -> str:
        if value is None:
            return ""
        if unit:
            return amount_in_words(value, unit, _lang(ctx))
        return number_to_words(value, _lang(ctx))

    @pass_context
    def translate(ctx: Context, msgid: str, **params: Any) -> str:
        return catalog.gettext(_lang(ctx), msgid, **params)

    filters: dict[str, Callable[..., str]] = {
        "jdate": jdate,
        "jdatetime": jdatetime_,
        "gdate": gdate,
        "hijri": hijri,
        "money": money,
        "number": number,
        "percent": percent,
        "digits": digits,
        "phone": phone,
        "code": code,
        "words": words,
    }
    env.filters.update(filters)
    env.globals.update({"_": translate, "t": translate, "direction": direction, "LANGS": LANGS})
