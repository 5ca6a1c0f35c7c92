from typing import Any


def all_routes() -> list[Any]:
    from modules.carpet.routes.pages import routes as pages
    from modules.carpet.routes.settings import routes as settings

    return [*pages(), *settings()]
