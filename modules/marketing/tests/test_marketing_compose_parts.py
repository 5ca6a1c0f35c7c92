"""SMS parts as Iranian panels bill them: Persian (UCS-2) 70 characters in one part and 67 per
part beyond; Latin (GSM-7) 160 and 153, extension characters counting twice. The composer's
script counts the same way as the server (what the user sees while typing is what is billed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from modules.marketing import sms_parts
from modules.marketing.sms_parts import count_parts


@pytest.mark.parametrize(("text", "encoding", "parts"), [
    ("", "gsm", 0),
    ("س" * 70, "ucs2", 1),
    ("س" * 71, "ucs2", 2),
    ("س" * 134, "ucs2", 2),
    ("س" * 135, "ucs2", 3),
    ("a" * 160, "gsm", 1),
    ("a" * 161, "gsm", 2),
    ("a" * 306, "gsm", 2),
    ("a" * 307, "gsm", 3),
    ("€" * 80, "gsm", 1),  # two places each: 160
    ("€" * 81, "gsm", 2),
    ("a" * 69 + "س", "ucs2", 1),  # one Persian letter sends the whole text as UCS-2
    ("Code ۱۲۳۴", "ucs2", 1),  # Persian digits are not GSM either
])
def test_parts_are_counted_as_the_panels_bill(text: str, encoding: str, parts: int) -> None:
    got = count_parts(text)
    assert (got.encoding, got.parts) == (encoding, parts)


def test_a_persian_reminder_of_a_hundred_characters_is_two_parts() -> None:
    text = "مشتری گرامی، قسط شما فردا سررسید می‌شود. لطفاً پیش از ساعت ۱۴ پرداخت کنید. با سپاس، فروشگاه پیوند"
    assert len(text) > 70 and count_parts(text).parts == 2 and count_parts(text).length == len(text)


def test_the_composer_script_counts_with_the_same_alphabet_and_sizes() -> None:
    script = (Path(sms_parts.__file__).parent / "static" / "marketing" / "compose.js").read_text()
    basic = "".join(json.loads(f'"{s}"') for s in re.findall(r'"((?:[^"\\]|\\.)*)"', script.split("const EXT")[0]
                                                       .split("const GSM")[1]))
    found = re.search(r'const EXT = new Set\(Array.from\("((?:[^"\\]|\\.)*)"', script)
    assert found is not None
    extended = json.loads(f'"{found.group(1)}"')
    assert set(basic) == sms_parts.GSM_BASIC and set(extended) == sms_parts.GSM_EXTENDED
    assert "single = 160; part = 153" in script and "single = 70; part = 67" in script
