"""The shipped occasions land on the right days (KER-19): pure computation, no database."""

import datetime as dt

import pytest

from kernel.errors import InputError
from kernel.occasions.definitions import dates_in_year, easter, shipped
from kernel.occasions.fill import computed_rows
from kernel.persian.hijri import HijriDate, from_hijri, hijri_to_date, parse_hijri_date, to_hijri
from kernel.persian.jalali import format_jalali


def dates(jyear: int, key: str) -> list[dt.date]:
    return [r["date"] for r in computed_rows(jyear) if r["key"] == key]


def test_nowruz_1405_holidays():
    assert [dates(1405, f"nowruz-{n}")[0] for n in (1, 2, 3, 4)] == [
        dt.date(2026, 3, 21), dt.date(2026, 3, 22), dt.date(2026, 3, 23), dt.date(2026, 3, 24)]
    assert dates(1405, "sizdah-bedar") == [dt.date(2026, 4, 2)]
    assert dates(1405, "revolution-day") == [dt.date(2027, 2, 11)]  # 22 Bahman 1405


def test_ashura_1404_is_the_observed_day_in_iran():
    # Ashura 1447 AH was Sunday 6 July 2025 = 15 Tir 1404 in Iran (Umm al-Qura alone says the 5th).
    assert dates(1404, "ashura") == [dt.date(2025, 7, 6)]
    assert format_jalali(dates(1404, "ashura")[0], "en", "long") == "15 Tir 1404"
    assert dates(1404, "tasua") == [dt.date(2025, 7, 5)]


def test_tasua_and_ashura_1405_follow_the_hijri_computation():
    corrections = shipped().corrections
    assert dates(1405, "tasua") == [from_hijri(1448, 1, 9, corrections)] == [dt.date(2026, 6, 24)]
    assert dates(1405, "ashura") == [from_hijri(1448, 1, 10, corrections)] == [dt.date(2026, 6, 25)]
    assert format_jalali(dt.date(2026, 6, 25), "en", "long") == "4 Tir 1405"


def test_a_lunar_occasion_can_fall_twice_in_a_solar_year():
    # Eid al-Fitr 1447: 29 Esfand 1404 and 1 Farvardin 1405; Eid al-Fitr 1448 comes in Esfand 1405.
    assert dates(1405, "eid-al-fitr-2") == [dt.date(2026, 3, 21), dt.date(2027, 3, 10)]
    occurrences = [r["occurrence"] for r in computed_rows(1405) if r["key"] == "eid-al-fitr-2"]
    assert occurrences == [1, 2]
    assert dates(1404, "eid-al-fitr-1") == [dt.date(2025, 3, 31), dt.date(2026, 3, 20)]


def test_iran_month_corrections():
    """Months that began a day late in Iran move their occasions and read right back."""
    corrections = shipped().corrections
    # Eid al-Fitr 1446 was Monday 31 March 2025 (11 Farvardin 1404); Umm al-Qura says the 30th.
    assert dates(1404, "eid-al-fitr-1")[0] == dt.date(2025, 3, 31)
    assert format_jalali(dt.date(2025, 3, 31), "en", "long") == "11 Farvardin 1404"
    assert to_hijri(dt.date(2025, 3, 31), corrections) == HijriDate(1446, 10, 1)
    assert to_hijri(dt.date(2025, 3, 30), corrections) == HijriDate(1446, 9, 29)  # a 29-day Ramadan
    # Months without an entry are Umm al-Qura's: Arbaeen 1447 was Thursday 14 August 2025.
    assert dates(1404, "arbaeen") == [dt.date(2025, 8, 14)]
    assert to_hijri(dt.date(2025, 8, 14), corrections) == HijriDate(1447, 2, 20)


def test_a_month_entry_wins_over_its_year():
    table = {1447: -1, (1447, 2): 0}
    assert from_hijri(1447, 1, 10, table) == dt.date(2025, 7, 6)
    assert from_hijri(1447, 2, 20, table) == from_hijri(1447, 2, 20)
    assert to_hijri(dt.date(2025, 7, 6), table) == HijriDate(1447, 1, 10)
    assert to_hijri(dt.date(2025, 8, 14), table) == HijriDate(1447, 2, 20)
    # Muharram ran a day late and Safar did not: on Safar's first day the new month wins.
    first_of_safar = from_hijri(1447, 2, 1, table)
    assert to_hijri(first_of_safar, table) == HijriDate(1447, 2, 1)
    assert to_hijri(first_of_safar - dt.timedelta(days=1), table).month == 1


def test_the_prophets_birthday_by_sect():
    rows = {r["key"]: r for r in computed_rows(1405)}
    sunni, shia = rows["mawlid-sunni"], rows["mawlid-shia"]
    assert (sunni["sect"], sunni["day"], sunni["holiday"]) == ("sunni", 12, False)
    assert (shia["sect"], shia["day"], shia["holiday"]) == ("shia", 17, True)
    assert shia["date"] - sunni["date"] == dt.timedelta(days=5)


def test_end_of_safar_is_the_months_last_day():
    corrections = shipped().corrections
    (reza,) = dates(1405, "imam-reza")
    assert from_hijri(1448, 3, 1, corrections) - reza == dt.timedelta(days=1)


def test_other_religions():
    assert dates(1405, "christmas") == [dt.date(2026, 12, 25)]
    assert dates(1405, "armenian-christmas") == [dt.date(2027, 1, 6)]
    assert dates(1405, "easter") == [dt.date(2026, 4, 5)]
    assert dates(1405, "sadeh") == [dt.date(2027, 1, 30)]  # 10 Bahman 1405
    assert dates(1405, "passover") == [dt.date(2026, 4, 2)]
    assert (easter(2025), easter(2027)) == (dt.date(2025, 4, 20), dt.date(2027, 3, 28))


def test_every_year_1404_to_1406_has_the_official_holidays():
    for year in (1404, 1405, 1406):
        keys = {r["key"] for r in computed_rows(year) if r["holiday"]}
        assert {"nowruz-1", "nowruz-4", "khordad-15", "revolution-day", "tasua", "ashura", "eid-al-adha",
                "ghadir", "imam-ali-martyrdom", "mawlid-shia"} <= keys


def test_every_definition_lands_inside_its_year():
    data = shipped()
    for d in data.definitions:
        for day in dates_in_year(d, 1406, data.corrections):
            assert dt.date(2027, 3, 21) <= day < dt.date(2028, 3, 20)


@pytest.mark.parametrize("raw,msgid", [
    ("1448/13/01", "Hijri month must be between 1 and 12"),
    ("1448/01/30", "Month {month} of {year} AH has 29 days"),  # Muharram 1448 has 29 days
    ("1448/01/31", "Hijri day must be between 1 and 30"),
    ("2026/01/10", "Enter the Hijri year between 1343 and 1500, e.g. 1448"),
    ("دهم محرم", "Enter a Hijri date as year/month/day, e.g. 1448/01/10"),
])
def test_invalid_hijri_dates_are_refused_with_a_message(raw, msgid):
    with pytest.raises(InputError) as info:
        parse_hijri_date(raw)
    assert info.value.msgid == msgid


def test_hijri_input_in_persian_digits():
    assert parse_hijri_date("۱۴۴۸/۰۱/۱۰", {1448: 0}) == dt.date(2026, 6, 25)
    assert hijri_to_date(1448, 2, 30) == from_hijri(1448, 2, 30)  # Safar 1448 has 30 days
