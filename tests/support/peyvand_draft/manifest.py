from kernel import Manifest

# A module as its author has it before the first ``peyvand db revision``: models, no migration.
MANIFEST = Manifest(name="draft", version="0.1", depends=("base",), summary="Test module without a migration")
