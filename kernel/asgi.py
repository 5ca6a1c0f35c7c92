"""ASGI entry point for uvicorn workers: ``uvicorn kernel.asgi:app``."""

from kernel.config import from_env
from kernel.kernel import Kernel
from kernel.web.app import build_app

app = build_app(Kernel(from_env()))
