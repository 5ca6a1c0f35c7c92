from kernel import Manifest

MANIFEST = Manifest(name="notes", version="1.0", depends=("base",), summary="Test module proving the kernel")
