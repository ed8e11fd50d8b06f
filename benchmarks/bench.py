"""Benchmark: whole-process build time and peak memory for generated decks of 10, 100
and 1000 personas with every section, and the same cards built with plain python-pptx.

    python benchmarks/bench.py            # prints a table
    python benchmarks/bench.py 10 100     # other sizes

Each build runs as its own process, as a user runs it, so Python start-up and imports
count. Peak memory is the child process's maximum resident set size (for a large deck,
the larger of cardforge and the helper process that writes every other slide: the helper
shares cardforge's memory copy-on-write).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import deck  # noqa: E402


def run(command: list[str]) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MB of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def best_of(command: list[str], repeats: int) -> tuple[float, float]:
    results = [run(command) for _ in range(repeats)]
    return min(r[0] for r in results), max(r[1] for r in results)


def main(sizes: list[int]) -> None:
    cardforge = [sys.executable, "-m", "cardforge"]
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        example, memory = best_of(
            cardforge + ["build", str(ROOT / "decks" / "mlops.yaml"), "-o", str(folder / "mlops.pptx"), "-q"],
            5,
        )
        print(
            f"decks/mlops.yaml (11 cards and every overview): {example:.2f} s, {memory:.0f} MB peak (best of 5)"
        )
        print()
        print(
            f"{'personas':>8} {'slides':>7} {'cardforge s':>12} {'MB':>6} {'python-pptx cards s':>20} {'MB':>6}"
        )
        times = {}
        for size in sizes:
            path = folder / f"deck-{size}.yaml"
            path.write_text(deck(size), encoding="utf-8")
            output = folder / f"deck-{size}.pptx"
            elapsed, memory = best_of(cardforge + ["build", str(path), "-o", str(output), "-q"], 3)
            slides = _slide_count(output)
            plain_repeats = 3 if size <= 100 else 1  # python-pptx takes a while at 1000
            plain, plain_memory = best_of(
                [sys.executable, str(HERE / "plain_pptx.py"), str(path), str(folder / "plain.pptx")],
                plain_repeats,
            )
            times[size] = elapsed
            print(
                f"{size:>8} {slides:>7} {elapsed:>12.2f} {memory:>6.0f} {plain:>20.2f} {plain_memory:>6.0f}"
            )
        if 100 in times and 1000 in times:
            print(f"\ntime(1000) / time(100) = {times[1000] / times[100]:.1f}")


def _slide_count(path: Path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as package:
        return sum(
            1 for name in package.namelist() if name.startswith("ppt/slides/slide") and name.endswith(".xml")
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 100, 1000])
