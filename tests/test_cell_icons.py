"""Issue 11: a list cell's icon (``Field(icon=...)``) is the kernel's own SVG, with its label as
tooltip and screen-reader text, everything escaped; and the ``code`` kind reads and stores codes."""

from kernel import CellIcon
from kernel.fields import Field
from kernel.icons import cell_icon
from kernel.persian.textnorm import LRI, PDI


def test_a_cell_icon_is_escaped_and_only_takes_known_tones():
    html = str(cell_icon(CellIcon("arrow-left", "x", "green\" onmouseover=\"x"), '<b>"حمله"</b>'))
    assert "onmouseover" not in html and "tone-" not in html  # an unknown tone is dropped
    assert "&lt;b&gt;&#34;حمله&#34;&lt;/b&gt;" in html and "<b>" not in html
    ok = str(cell_icon(CellIcon("arrow-left", "x", "green"), "برچسب"))
    assert 'class="cell-icon tone-green"' in ok and 'title="برچسب"' in ok and 'aria-hidden="true"' in ok
    assert '<span class="visually-hidden">برچسب</span>' in ok
    # An unknown icon draws nothing, but the label is still read out.
    assert "<svg" not in str(cell_icon(CellIcon("nope", "x"), "برچسب")) and "برچسب" in str(cell_icon(CellIcon("nope", "x"), "برچسب"))


def test_the_code_kind_shows_persian_digits_isolated_and_stores_ascii():
    f = Field(kind="code").bind("number", None)
    assert f.kind == "code"
    assert f.display("CHQ 1234-55", "fa") == f"{LRI}CHQ ۱۲۳۴-۵۵{PDI}" and f.display("CHQ 1234-55", "en") == "CHQ 1234-55"
    assert f.parse("IR۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۱") == "IR062960000000100324200001"
    assert f.display(None) == "" and f.parse("") is None
