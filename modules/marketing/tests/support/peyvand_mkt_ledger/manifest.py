from kernel import Manifest

MANIFEST = Manifest(name="mkt_ledger", version="0.1", depends=("marketing",),
                    summary="Test module adding {balance_words} to message templates")
