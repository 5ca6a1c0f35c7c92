import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import jdatetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kernel.errors import InputError
from kernel.persian.jalali import (
    days_in_month,
    format_gregorian,
    format_jalali,
    jalali_month_range,
    jalali_year_range,
    month_name,
    parse_jalali_date,
    parse_jalali_datetime,
    to_jalali,
    today_jalali,
)

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests/data/persian_inputs.json").read_text("utf-8"))
PICKER = ROOT / "kernel/static/kernel/jalali-picker.js"

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
datetimes = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31, 23, 59))


@pytest.mark.parametrize("case", CASES["jalali_dates"], ids=lambda c: c["raw"])
def test_shared_cases(case):
    if case["gregorian"] is None:
        with pytest.raises(InputError):
            parse_jalali_date(case["raw"])
    else:
        assert parse_jalali_date(case["raw"]) == dt.date.fromisoformat(case["gregorian"])


def test_refusals_are_specific():
    with pytest.raises(InputError) as esfand:
        parse_jalali_date("۱۴۰۴/۱۲/۳۰")
    assert esfand.value.msgid == "Esfand {year} has 29 days: {year} is not a leap year"
    assert esfand.value.params == {"year": 1404}
    with pytest.raises(InputError) as month:
        parse_jalali_date("۱۴۰۵/۱۳/۰۱")
    assert month.value.msgid == "Month must be between 1 and 12"


@pytest.mark.parametrize(
    ("raw", "msgid"),
    [
        ("", "Enter a date as year/month/day, e.g. 1405/09/01"),
        ("فردا", "Enter a date as year/month/day, e.g. 1405/09/01"),
        ("01/09/1405", "Enter a date as year/month/day, e.g. 1405/09/01"),
        ("2026/11/22", "Enter the year in the Jalali calendar, e.g. 1405"),
        ("1405/00/10", "Month must be between 1 and 12"),
        ("1405/07/31", "Day must be between 1 and {last} in this month"),
        ("1405/01/00", "Day must be between 1 and {last} in this month"),
        ("1405/01/01 10", "Enter a date as year/month/day, e.g. 1405/09/01"),
    ],
)
def test_bad_dates(raw, msgid):
    with pytest.raises(InputError) as err:
        parse_jalali_date(raw)
    assert err.value.msgid == msgid


@pytest.mark.parametrize(
    "raw", ["۱۴۰۵/۰۹/۰۱", "1405-9-1", "1405.09.01", "١٤٠٥/٩/١", " ۱۴۰۵ / ۹ / ۱ ", "\u200f۱۴۰۵/۰۹/۰۱\u200e"]
)
def test_spellings_of_one_date(raw):
    assert parse_jalali_date(raw) == dt.date(2026, 11, 22)


def test_leap_years_and_month_lengths():
    assert days_in_month(1403, 12) == 30
    assert days_in_month(1404, 12) == 29
    assert days_in_month(1405, 6) == 31
    assert days_in_month(1405, 7) == 30
    assert parse_jalali_date("1403/12/30") + dt.timedelta(days=1) == parse_jalali_date("1404/01/01")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("۱۴۰۵/۰۹/۰۱ ۱۰:۳۰", dt.datetime(2026, 11, 22, 10, 30)),
        ("1405/9/1 7:05:09", dt.datetime(2026, 11, 22, 7, 5, 9)),
        ("1405/9/1", dt.datetime(2026, 11, 22)),
        ("1405/9/1   23:59", dt.datetime(2026, 11, 22, 23, 59)),
    ],
)
def test_parse_datetime(raw, value):
    assert parse_jalali_datetime(raw) == value


@pytest.mark.parametrize(
    ("raw", "msgid"),
    [
        ("1405/9/1 24:00", "Hour must be between 0 and 23"),
        ("1405/9/1 10:60", "Minutes and seconds must be between 0 and 59"),
        ("1405/9/1 ten", "Enter a time as hour:minute, e.g. 10:30"),
        ("1404/12/30 10:00", "Esfand {year} has 29 days: {year} is not a leap year"),
    ],
)
def test_bad_datetimes(raw, msgid):
    with pytest.raises(InputError) as err:
        parse_jalali_datetime(raw)
    assert err.value.msgid == msgid


def test_format_jalali_styles():
    day = dt.date(2026, 11, 22)
    moment = dt.datetime(2026, 11, 22, 10, 30)
    assert format_jalali(day) == "۱۴۰۵/۰۹/۰۱"
    assert format_jalali(day, "en") == "1405/09/01"
    assert format_jalali(day, "fa", "long") == "۱ آذر ۱۴۰۵"
    assert format_jalali(day, "en", "long") == "1 Azar 1405"
    assert format_jalali(moment, "fa", "datetime") == "۱۴۰۵/۰۹/۰۱ ۱۰:۳۰"
    assert format_jalali(moment, "en", "datetime") == "1405/09/01 10:30"
    assert format_jalali(day, "fa", "datetime") == "۱۴۰۵/۰۹/۰۱"
    assert format_jalali(None) == ""
    with pytest.raises(ValueError):
        format_jalali(day, "fa", "weird")  # type: ignore[arg-type]


def test_format_gregorian():
    day = dt.date(2026, 11, 22)
    assert format_gregorian(day, "fa") == "۲۲ نوامبر ۲۰۲۶"
    assert format_gregorian(day, "en") == "22 November 2026"
    assert format_gregorian(day, "en", "short") == "2026-11-22"
    assert format_gregorian(dt.datetime(2026, 11, 22, 9, 5), "fa", "datetime") == "۲۰۲۶-۱۱-۲۲ ۰۹:۰۵"
    assert format_gregorian(None) == ""


def test_month_names_and_locale():
    assert month_name(1) == "فروردین"
    assert month_name(12, "en") == "Esfand"
    assert to_jalali(dt.datetime(2026, 3, 21, 8)).strftime("%B") == "فروردین"


def test_month_and_year_ranges():
    assert jalali_month_range(1405, 9) == (dt.date(2026, 11, 22), dt.date(2026, 12, 22))
    assert jalali_month_range(1404, 12) == (dt.date(2026, 2, 20), dt.date(2026, 3, 21))
    assert jalali_month_range(1403, 12) == (dt.date(2025, 2, 19), dt.date(2025, 3, 21))
    assert jalali_year_range(1405) == (dt.date(2026, 3, 21), dt.date(2027, 3, 21))


def test_today_jalali():
    t = today_jalali(dt.date(2026, 11, 22))
    assert (t.year, t.month, t.day) == (1405, 9, 1)
    assert t.locale == "fa_IR"


@given(dates)
def test_parse_of_format_is_identity(d):
    assert parse_jalali_date(format_jalali(d, "fa")) == d
    assert parse_jalali_date(format_jalali(d, "en")) == d


@given(datetimes)
def test_datetime_round_trip_to_the_minute(moment):
    assert parse_jalali_datetime(format_jalali(moment, "fa", "datetime")) == moment.replace(
        second=0, microsecond=0
    )


@given(dates)
def test_month_range_contains_the_date(d):
    j = to_jalali(d)
    first, after = jalali_month_range(j.year, j.month)
    assert first <= d < after
    assert (after - first).days == days_in_month(j.year, j.month)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_picker_calendar_matches_jdatetime(tmp_path):
    script = tmp_path / "dump.js"
    script.write_text(
        """
const pj = require(process.argv[2]);
const out = [];
for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86400000) {
  const d = new Date(t), g = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const j = pj.toJalali(...g), b = pj.toGregorian(j.jy, j.jm, j.jd);
  out.push([...g, j.jy, j.jm, j.jd, b.gy, b.gm, b.gd, pj.weekColumn(j.jy, j.jm, j.jd),
            pj.monthLength(j.jy, j.jm)].join(" "));
}
out.push(JSON.stringify([pj.parse("۱۴۰۵/۰۹/۰۱ ۱۰:۳۰"), pj.parse("1404/12/30"), pj.parse("1403/12/30"),
  pj.format({jy: 1405, jm: 9, jd: 1, hour: 7, minute: 5}, "fa", true), pj.format({jy: 1405, jm: 9, jd: 1}, "en"),
  pj.toAsciiDigits("٠٩۱۲")]));
console.log(out.join("\\n"));
""",
        encoding="utf-8",
    )
    lines = subprocess.run(
        ["node", str(script), str(PICKER)], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    extras = json.loads(lines.pop())
    for line in lines:
        gy, gm, gd, jy, jm, jd, by, bm, bd, col, length = map(int, line.split())
        g = dt.date(gy, gm, gd)
        j = jdatetime.date.fromgregorian(date=g)
        assert (jy, jm, jd) == (j.year, j.month, j.day), line
        assert (by, bm, bd) == (gy, gm, gd), line
        assert col == (g.weekday() + 2) % 7, line  # Saturday is column 0
        assert length == days_in_month(jy, jm), line
    assert extras == [
        {"jy": 1405, "jm": 9, "jd": 1, "hour": 10, "minute": 30},
        None,
        {"jy": 1403, "jm": 12, "jd": 30, "hour": None, "minute": None},
        "۱۴۰۵/۰۹/۰۱ ۰۷:۰۵",
        "1405/09/01",
        "0912",
    ]
