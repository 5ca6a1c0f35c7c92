"""``Field(kind="percent")``: a percentage typed as people write it («۹٪», «9», «۹.۵», «10%»),
shown «۹٪», kept exact as basis points by ``kernel.scaled.Percent``; letters, a negative, more
than 100 or finer than a basis point refused with a message on the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text

from kernel.errors import InputError
from kernel.fields import Field
from kernel.i18n import kernel_catalog
from kernel.scaled import Percent

RATE = Field(kind="percent").bind("rate", None)


@pytest.mark.parametrize(("typed", "value"), [
    ("۹٪", Decimal(9)), ("9", Decimal(9)), ("۹.۵", Decimal("9.5")), ("10%", Decimal(10)), ("۹٫۵", Decimal("9.5")),
    ("٪۱۰", Decimal(10)), (" ۱۰ ٪ ", Decimal(10)), ("0", Decimal(0)), ("۱۰۰", Decimal(100)), ("۹٫۲۵", Decimal("9.25")),
])
def test_a_percentage_is_typed_as_people_write_it(typed: str, value: Decimal) -> None:
    assert RATE.parse(typed) == value
    assert RATE.from_json(typed) == value


@pytest.mark.parametrize(("typed", "persian"), [
    ("نه", "درصد را به عدد بنویسید"), ("abc", "درصد را به عدد بنویسید"), ("۹٪٪", "درصد را به عدد بنویسید"),
    ("-۵", "بین ۰ و ۱۰۰"), ("101", "بین ۰ و ۱۰۰"), ("۱۵۰٪", "بین ۰ و ۱۰۰"),
    ("9.255", "حداکثر دو رقم اعشار"),
])
def test_a_bad_percentage_is_refused_in_persian(typed: str, persian: str) -> None:
    with pytest.raises(InputError) as exc:
        RATE.parse(typed)
    assert persian in kernel_catalog().message("fa", exc.value)


def test_shown_with_the_persian_percent_sign_and_typed_back_plain() -> None:
    assert RATE.display(Decimal("9.00"), "fa") == "۹٪"
    assert RATE.display(Decimal("9.50"), "fa") == "۹٫۵٪"
    assert RATE.display(Decimal("100.00"), "fa") == "۱۰۰٪"
    assert RATE.display(Decimal("9.50"), "en") == "9.5%"
    assert RATE.form_value(Decimal("9.50")) == "9.5" and RATE.form_value(Decimal("10.00")) == "10"
    # The API takes a JSON number too, and refuses what a form refuses.
    assert RATE.from_json(9.5) == Decimal("9.5") and RATE.from_json(10) == Decimal(10)
    for bad in (101, -1, 9.255, True):
        with pytest.raises(InputError):
            RATE.from_json(bad)
    assert RATE.json_schema()["format"] == "decimal"


def test_a_percent_column_is_basis_points_and_makes_a_percent_field() -> None:
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("rate", Percent()))
    assert Field().bind("rate", table.c.rate).kind == "percent"
    engine = create_engine("sqlite://")
    table.create(engine)
    with engine.begin() as conn:
        conn.execute(insert(table).values(id=1, rate=Decimal("9.5")))
        assert conn.scalar(text("SELECT rate FROM t")) == 950  # exact, as an integer
        assert conn.scalar(select(table.c.rate)) == Decimal("9.50")
