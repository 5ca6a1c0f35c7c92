"""The letters' routes, each with its permission; and the print button on a letter's page."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel import Route
from modules.marketing.letters import routes_group, routes_labels, routes_register


def letter_routes() -> list[Route]:
    return [
        Route("/letter/{id:int}/letter.pdf", routes_register.letter_pdf, methods=["GET"],
              permission="marketing.letter.print", name="letter_pdf"),
        Route("/letters/numbering", routes_register.numbering_page, methods=["GET"],
              permission="marketing.letter_numbering.edit", name="letter_numbering"),
        Route("/letters/numbering", routes_register.numbering_post, methods=["POST"],
              permission="marketing.letter_numbering.edit", name="letter_numbering_save"),
        Route("/letters/group", routes_group.group_page, methods=["GET"], permission="marketing.letter.create",
              name="letter_group"),
        Route("/letters/group", routes_group.group_post, methods=["POST"], permission="marketing.letter.create",
              name="letter_group_write"),
        Route("/letters/group/{batch:str}", routes_group.batch_page, methods=["GET"],
              permission="marketing.letter.view", name="letter_batch"),
        Route("/letters/group/{batch:str}/letters.pdf", routes_group.batch_pdf, methods=["GET"],
              permission="marketing.letter.print", name="letter_batch_pdf"),
        Route("/letters/group/{batch:str}/prepare", routes_group.prepare_post, methods=["POST"],
              permission="marketing.letter.print", name="letter_batch_prepare"),
        Route("/letters/print/{id:int}", routes_group.print_file, methods=["GET"],
              permission="marketing.letter.print", name="letter_print_file"),
        Route("/letters/print/{id:int}/state", routes_group.print_state, methods=["GET"],
              permission="marketing.letter.print", name="letter_print_state"),
        Route("/labels", routes_labels.labels_page, methods=["GET"], permission=routes_labels.PERMISSION,
              name="labels"),
        Route("/labels", routes_labels.labels_post, methods=["POST"], permission=routes_labels.PERMISSION,
              name="labels_pdf"),
    ]


def partner_list_buttons(request: Any) -> Markup | None:
    """Above the partner list: a group letter or labels for the partners it shows now (its
    search and filters carried over; the pages apply them again, with the user's scope)."""
    actor = getattr(request.state, "actor", None)
    if actor is None:
        return None
    from urllib.parse import urlencode

    from kernel.web.templating import request_lang

    t = request.app.state.kernel.t
    lang = request_lang(request)
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k == "q" or k.startswith("f_")])
    links = [(url, label) for perm, url, label in (
        ("marketing.letter.create", "/marketing/letters/group", "Group letter to this list"),
        ("marketing.labels.print", "/marketing/labels", "Postal labels for this list"))
        if actor.can(perm)]
    if not links:
        return None
    return Markup('<p class="marketing-list-actions">{}</p>').format(Markup(" ").join(
        Markup('<a class="button" href="{}?{}">{}</a>').format(url, query, t(lang, label)) for url, label in links))


def print_button(context: dict[str, Any], request: Any) -> Markup | None:
    """Under a letter's page: "Print the letter" for those who may print it."""
    record = context.get("record")
    actor = getattr(request.state, "actor", None)
    if record is None or actor is None or not actor.can("marketing.letter.print"):
        return None
    kernel = request.app.state.kernel
    from kernel.web.templating import request_lang

    label = kernel.t(request_lang(request), "Print the letter")
    return Markup('<p class="marketing-letter-print"><a class="button primary" href="/marketing/letter/{}/letter.pdf" '
                  'target="_blank">{}</a></p>').format(record.id, label)
