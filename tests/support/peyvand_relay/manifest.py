from kernel import Manifest

# A module that declares a hook of its own (hookspecs.py) for the modules that depend on it.
MANIFEST = Manifest(name="relay", version="0.1", summary="Test module declaring its own hook")
