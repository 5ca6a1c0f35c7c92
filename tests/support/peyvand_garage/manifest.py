from kernel import Manifest

# The outside author's module of issue 8: a car workshop's vehicles and service visits.
MANIFEST = Manifest(name="garage", version="1.0", depends=("base",), summary="Test module: vehicles and visits")
