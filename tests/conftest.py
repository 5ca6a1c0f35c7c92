import sys
from pathlib import Path

# The test-only module `notes` (package peyvand_notes) lives beside the tests.
sys.path.insert(0, str(Path(__file__).parent / "support"))

NOTES = ("peyvand_notes",)
