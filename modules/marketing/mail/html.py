"""The HTML part of a message, made from its text: the user's text escaped (no markup of theirs
reaches the mail), paragraphs and line breaks kept, right-to-left for Persian. The plain part is
the text itself."""

from __future__ import annotations

from markupsafe import escape

_PAGE = ('<!DOCTYPE html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><title>{subject}</title>'
         '</head><body style="font-family:Vazirmatn,Tahoma,sans-serif;line-height:1.8">{body}</body></html>')


def to_html(text: str, subject: str = "", lang: str = "fa") -> str:
    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "".join(f'<p dir="auto">{"<br>".join(str(escape(line)) for line in p.split(chr(10)))}</p>'
                   for p in paragraphs)
    return _PAGE.format(lang=lang, dir="rtl" if lang == "fa" else "ltr", subject=escape(subject), body=body)
