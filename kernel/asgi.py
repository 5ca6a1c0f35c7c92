"""ASGI entry point for uvicorn workers: ``uvicorn kernel.asgi:app``."""

from kernel.config import from_env
from kernel.gc_tuning import freeze_startup
from kernel.kernel import Kernel
from kernel.web.app import build_app

app = build_app(Kernel(from_env()))
freeze_startup()  # what the process keeps for its life, out of every collection's way
