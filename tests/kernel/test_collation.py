"""The Persian alphabetical key (kernel.persian.collation): its plain string order is the order
of a Persian list, which is what lets both databases sort and page by an ordinary index."""

from kernel.persian.collation import ALPHABET, LIMIT, sort_key


def ordered(*names: str) -> bool:
    keys = [sort_key(n) for n in names]
    return keys == sorted(keys) and len(set(keys)) == len(keys)


def test_the_alphabet_in_its_order_and_not_in_code_point_order():
    assert ordered(*ALPHABET)
    assert sorted(ALPHABET) != list(ALPHABET)  # پ چ ژ ک گ would land after و
    assert ordered("کیمیا چگینی", "کیمیا لطفی")
    assert ordered("گلناز", "لادن") and ordered("وحید", "هادی", "یاسر")


def test_arabic_forms_sort_as_their_persian_twins():
    assert sort_key("علي اكبري") == sort_key("علی اکبری")
    assert sort_key("مدرسة") == sort_key("مدرسه") and sort_key("خانۀ") == sort_key("خانه")
    assert sort_key("أحمد") == sort_key("احمد") and sort_key("مسئول") == sort_key("مسیول")
    assert sort_key("می\u200cخواهم") == sort_key("میخواهم")


def test_numbers_sort_by_value_in_any_script():
    assert ordered("منطقه ۱", "منطقه 2", "منطقه ٣", "منطقه ۱۰", "منطقه ۱۱", "منطقه ۲۲", "منطقه ۱۰۰")
    assert sort_key("منطقه ۰۰۷") == sort_key("منطقه 7")
    assert ordered("۹ دی", "۱۲ فروردین", "abc", "Zed", "آرش")  # numbers, Latin, then Persian


def test_words_come_before_longer_words():
    assert ordered("علی", "علی رضا", "علی زاهدی", "علیرضا")
    assert sort_key("  علی   (رضا) ") == sort_key("علی رضا")


def test_empty_and_long():
    assert sort_key("") == sort_key(None) == ""
    assert len(sort_key("ب" * 1000)) == LIMIT
    assert sort_key("کارت ۶۰۳۷۹۹۷۵۹۹۱۲۳۴۵۶") < sort_key("کارت ۶۰۳۷۹۹۷۵۹۹۱۲۳۴۵۷")
