from kernel import Manifest

MANIFEST = Manifest(
    name="acme_hello",
    version="1.0.0",
    summary="Greetings to partners, printed as PDF greeting cards (example partner module)",
    depends=("base",),
    author="Acme Software",
)
