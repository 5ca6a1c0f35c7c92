"""``make bench``: every benchmark in turn (arguments go to each, e.g. BENCH_ARGS="--rows 10000")."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_list


def main(argv: list[str]) -> int:
    return bench_list.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
