import ast
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2 import Environment

from kernel.errors import InputError
from kernel.i18n import (
    DEFAULT_LANG,
    KERNEL_CATALOG_DIR,
    LANGS,
    Catalog,
    direction,
    install_jinja,
    kernel_catalog,
)
from kernel.persian.phones import canonical_phone

KERNEL = Path(__file__).resolve().parents[2] / "kernel"
# The files whose messages kernel/i18n/fa/inputs.json translates.


def strings(expr: ast.expr) -> set[str]:
    """The string literals an expression can evaluate to (both arms of ``a if cond else b``)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return strings(expr.body) | strings(expr.orelse)
    raise AssertionError(f"line {expr.lineno}: InputError needs a literal msgid to be translatable")


def raised_msgids(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "InputError":
            found |= strings(node.args[0])
    return found


def test_every_raised_message_has_a_persian_translation():
    catalog = kernel_catalog()
    msgids = set().union(*(raised_msgids(path) for path in sorted(KERNEL.rglob("*.py"))))
    assert len(msgids) > 15  # the scan really found the messages
    missing = sorted(m for m in msgids if not catalog.has("fa", m))
    assert missing == []


def test_translations_keep_their_slots():
    data = json.loads((KERNEL_CATALOG_DIR / "fa/inputs.json").read_text("utf-8"))
    for msgid, text in data.items():
        slots = {s for s in ("{value}", "{year}", "{last}") if s in msgid}
        assert all(s in text for s in slots), msgid
        assert text != msgid


def test_gettext_translates_and_fills_slots():
    catalog = kernel_catalog()
    text = catalog.gettext("fa", "Esfand {year} has 29 days: {year} is not a leap year", year=1404)
    assert text == "اسفند ۱۴۰۴ ۲۹ روز دارد؛ سال ۱۴۰۴ کبیسه نیست"
    assert catalog.gettext("en", "Esfand {year} has 29 days: {year} is not a leap year", year=1404) == (
        "Esfand 1404 has 29 days: 1404 is not a leap year"
    )
    # What the user typed is shown as typed, not re-digited.
    assert catalog.gettext("fa", "Not a number: {value}", value="12a3") == "عدد معتبر نیست: 12a3"


def test_gettext_fallbacks():
    catalog = Catalog()
    catalog.add("fa", {"Hello {name}": "سلام {name}"})
    assert catalog.gettext("fa", "Unknown message") == "Unknown message"
    assert catalog.gettext("de", "Hello {name}", name="Ali") == "Hello Ali"
    assert catalog.gettext("fa", "Hello {name} {missing}", name="علی") == "Hello علی {missing}"
    assert catalog.gettext("fa", "Hello {name}") == "سلام {name}"
    assert catalog.gettext("fa", "{0} broken {", x=1) == "{0} broken {"


def test_persian_digits_only_for_numbers():
    catalog = Catalog()
    catalog.add("fa", {"{n} items, {d}, {b}, {s}": "{n} مورد، {d}، {b}، {s}"})
    text = catalog.gettext("fa", "{n} items, {d}, {b}, {s}", n=12, d=Decimal("2.5"), b=True, s="A1")
    assert text == "۱۲ مورد، ۲.۵، True، A1"


def test_message_of_an_error():
    catalog = kernel_catalog()
    with pytest.raises(InputError) as err:
        canonical_phone("0912")
    assert catalog.message("fa", err.value) == "شماره تلفن کوتاه است؛ رقمی جا افتاده است"
    assert catalog.message("en", err.value) == "Phone number is too short"
    assert catalog.message("fa", RuntimeError("boom")) == "boom"


def test_conflicting_translations_are_refused(tmp_path):
    catalog = Catalog()
    catalog.add("fa", {"Save": "ذخیره"}, origin="a.json")
    catalog.add("fa", {"Save": "ذخیره"}, origin="b.json")  # the same text twice is fine
    with pytest.raises(ValueError, match="a.json"):
        catalog.add("fa", {"Save": "ثبت"}, origin="c.json")
    with pytest.raises(ValueError):
        catalog.add("fa", {"Save": 1})  # type: ignore[dict-item]


def test_load_dir_reads_every_language_folder(tmp_path):
    (tmp_path / "fa").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "fa/one.json").write_text(json.dumps({"Yes": "بله"}), "utf-8")
    (tmp_path / "fa/two.json").write_text(json.dumps({"No": "خیر"}), "utf-8")
    (tmp_path / "en/one.json").write_text(json.dumps({"Colour": "Color"}), "utf-8")
    (tmp_path / "fa/notes.txt").write_text("ignored", "utf-8")
    catalog = Catalog().load_dir(tmp_path)
    assert catalog.gettext("fa", "Yes") == "بله" and catalog.gettext("fa", "No") == "خیر"
    assert catalog.gettext("en", "Colour") == "Color"
    (tmp_path / "fa/bad.json").write_text("[1, 2]", "utf-8")
    with pytest.raises(ValueError, match="bad.json"):
        Catalog().load_dir(tmp_path)


def test_languages_and_direction():
    assert LANGS == ("fa", "en") and DEFAULT_LANG == "fa"
    assert direction("fa") == "rtl" and direction("en") == "ltr"


@pytest.fixture
def env():
    environment = Environment(autoescape=True)
    catalog = kernel_catalog()
    catalog.add("fa", {"Hello {name}, you have {n} tasks": "سلام {name}، {n} کار دارید"})
    install_jinja(environment, catalog)
    return environment


def render(env, source, **context):
    return env.from_string(source).render(**context)


DAY = dt.date(2026, 11, 22)
MOMENT = dt.datetime(2026, 11, 22, 7, 0)  # stored UTC; shown as Tehran time (UTC+3:30)


@pytest.mark.parametrize(
    ("source", "fa", "en"),
    [
        ("{{ d|jdate }}", "۱۴۰۵/۰۹/۰۱", "1405/09/01"),
        ("{{ d|jdate('long') }}", "۱ آذر ۱۴۰۵", "1 Azar 1405"),
        ("{{ m|jdatetime }}", "۱۴۰۵/۰۹/۰۱ ۱۰:۳۰", "1405/09/01 10:30"),
        ("{{ none|jdate }}", "", ""),
        ("{{ d|gdate }}", "۲۲ نوامبر ۲۰۲۶", "22 November 2026"),
        ("{{ d|hijri }}", "۱۲ جمادی‌الثانی ۱۴۴۸ ق", "12 Jumada al-Thani 1448 AH"),
        ("{{ 12500000|money }}", "۱۲٬۵۰۰٬۰۰۰ ریال", "12,500,000 IRR"),
        ("{{ 12500000|money('toman') }}", "۱٬۲۵۰٬۰۰۰ تومان", "1,250,000 Toman"),
        ("{{ 12500000|money(with_unit=False) }}", "۱۲٬۵۰۰٬۰۰۰", "12,500,000"),
        ("{{ 12500000|number }}", "۱۲٬۵۰۰٬۰۰۰", "12,500,000"),
        ("{{ 'Invoice 1404-17'|digits }}", "Invoice ۱۴۰۴-۱۷", "Invoice 1404-17"),
        ("{{ '+989121234567'|phone }}", "\u2066۰۹۱۲ ۱۲۳ ۴۵۶۷\u2069", "0912 123 4567"),
        ("{{ 1001|words }}", "هزار و یک", "one thousand one"),
        (
            "{{ 12500000|words('toman') }}",
            "یک میلیون و دویست و پنجاه هزار تومان",
            "one million two hundred fifty thousand tomans",
        ),
        (
            "{{ _('Phone number is too short') }}",
            "شماره تلفن کوتاه است؛ رقمی جا افتاده است",
            "Phone number is too short",
        ),
        (
            "{{ t('Hello {name}, you have {n} tasks', name='<b>', n=3) }}",
            "سلام &lt;b&gt;، ۳ کار دارید",
            "Hello &lt;b&gt;, you have 3 tasks",
        ),
        ("{{ direction(lang) }}", "rtl", "ltr"),
    ],
)
def test_jinja_filters_follow_lang(env, source, fa, en):
    assert render(env, source, lang="fa", d=DAY, m=MOMENT, none=None) == fa
    assert render(env, source, lang="en", d=DAY, m=MOMENT, none=None) == en


def test_jinja_money_unit_from_context_and_default_lang(env):
    assert render(env, "{{ 12500000|money }}", lang="fa", money_unit="toman") == "۱٬۲۵۰٬۰۰۰ تومان"
    assert render(env, "{{ 12500000|money }}") == "۱۲٬۵۰۰٬۰۰۰ ریال"  # no lang: the default
    assert render(env, "{{ 12500000|money }}", lang="xx") == "۱۲٬۵۰۰٬۰۰۰ ریال"


def test_jinja_hijri_corrections_from_context(env):
    out = render(env, "{{ d|hijri }}", lang="fa", d=dt.date(2025, 7, 6), hijri_corrections={1447: -1})
    assert out == "۱۰ محرم ۱۴۴۷ ق"


def test_jinja_lang_in_included_macro_context(env):
    template = env.from_string("{% macro show(x) %}{{ x|jdate }}{% endmacro %}{{ show(d) }}")
    assert template.render(lang="en", d=DAY) == "1405/09/01"


def test_every_clash_is_reported_at_once(tmp_path):
    for name, texts in (("kernel", {"Save": "ذخیره", "Delete": "حذف", "Yes": "بله"}),
                        ("module", {"Save": "ثبت", "Delete": "پاک کردن", "Yes": "بله"})):
        (tmp_path / name / "fa").mkdir(parents=True)
        (tmp_path / name / "fa" / f"{name}.json").write_text(json.dumps(texts), "utf-8")
    with pytest.raises(ValueError) as caught:
        Catalog().load_dirs([tmp_path / "kernel", tmp_path / "module"])
    report = str(caught.value)
    assert report.startswith("2 translation clashes")
    assert "'Save' ('ثبت')" in report and "'Delete' ('پاک کردن')" in report and "kernel.json" in report
    assert "'Yes'" not in report
    with pytest.raises(ValueError, match="2 translation clashes"):
        catalog = Catalog()
        catalog.add("fa", {"Save": "ذخیره", "Delete": "حذف"})
        catalog.add("fa", {"Save": "ثبت", "Delete": "پاک"})
