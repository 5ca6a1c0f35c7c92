"""A product's variants page (FIN-01): which attribute values it comes in, and "generate the
variants" — one product per combination, those that exist kept."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, NotFound, PermissionDenied, Route
from kernel.records import FormErrors, get_record
from kernel.web.forms import error_text, form, tr
from kernel.web.templating import render
from modules.finance.services import catalogue


def _page(request: Request, message: str = "", error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        try:
            product = get_record(kernel, session, actor, kernel.resources["finance.product"],
                                 request.path_params["id"], "view")
        except NotFound:
            return render(request, "kernel/message.html", {"message": tr(request, "Not found"), "status": 404}, 404)
        context = {
            "product": product, "variants": catalogue.variants_of(session, product.id),
            "attributes": catalogue.attributes_with_values(session), "chosen": catalogue.options_of(session, product.id),
            "can_edit": actor.can("finance.product.edit") and actor.can("finance.product.create"),
            "message": message, "error": error,
        }
    return render(request, "finance/variants.html", context, status)


def variants_page(request: Request) -> Response:
    return _page(request)


def generate(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    try:
        value_ids = [int(v) for v in data.getlist("value")]
    except ValueError:
        return _page(request, error=tr(request, "Choose one of the listed values"), status=400)
    try:
        with kernel.session(actor) as session:
            done = catalogue.generate_variants(kernel, session, actor, request.path_params["id"], value_ids)
    except NotFound:
        return render(request, "kernel/message.html", {"message": tr(request, "Not found"), "status": 404}, 404)
    except PermissionDenied:
        return render(request, "kernel/message.html",
                      {"message": tr(request, "You do not have permission to do this"), "status": 403}, 403)
    except InputError as exc:
        return _page(request, error=error_text(request, exc), status=400)
    except FormErrors as exc:
        first = next(iter(exc.errors.values()))
        return _page(request, error=error_text(request, first), status=400)
    message = tr(request, "{created} variants added, {existing} already existed", created=len(done.created),
                 existing=done.existing)
    # Generating again adds nothing twice, so answering the post with the page is safe to reload.
    return _page(request, message=message)


def routes() -> list[Route]:
    return [
        Route("/product/{id:int}/variants", variants_page, methods=["GET"], permission="finance.product.view",
              name="product_variants"),
        Route("/product/{id:int}/variants", generate, methods=["POST"], permission="finance.product.edit",
              name="product_variants_generate"),
    ]
