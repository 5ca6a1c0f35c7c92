from kernel import Manifest

# A separate package adding a channel to the relay through the relay's hook.
MANIFEST = Manifest(name="relay_pigeon", version="0.1", depends=("relay",), summary="Test module using relay's hook")
