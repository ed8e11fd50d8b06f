"""Benchmark: whole-process build time and peak memory for generated decks of 10, 100,
1000 and 5000 personas with every section, and the same cards built with plain python-pptx
(up to 1000 personas: beyond, it takes minutes).

    python benchmarks/bench.py            # prints a table
    python benchmarks/bench.py 10 100     # other sizes

Times are the best of several runs (the machine may be shared: the best run is the one
least disturbed), and the table ends with how time grows from 1000 to 5000 personas;
linear cost gives 5, and anything under 5.5 counts as linear.

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

REPEATS = 5
PLAIN_UP_TO = 1000


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
            f"decks/mlops.yaml (11 cards and every overview): {example:.2f} s, "
            f"{memory:.0f} MB peak (best of 5)"
        )
        print()
        print(
            f"{'personas':>8} {'slides':>7} {'cardforge s':>12} {'MB':>6} "
            f"{'python-pptx cards s':>20} {'MB':>6}"
        )
        times = {}
        for size in sizes:
            path = folder / f"deck-{size}.yaml"
            path.write_text(deck(size), encoding="utf-8")
            output = folder / f"deck-{size}.pptx"
            elapsed, memory = best_of(cardforge + ["build", str(path), "-o", str(output), "-q"], REPEATS)
            slides = _slide_count(output)
            times[size] = elapsed
            if size > PLAIN_UP_TO:
                print(f"{size:>8} {slides:>7} {elapsed:>12.2f} {memory:>6.0f} {'-':>20} {'-':>6}")
                continue
            plain_repeats = 3 if size <= 100 else 1  # python-pptx takes a while at 1000
            plain, plain_memory = best_of(
                [sys.executable, str(HERE / "plain_pptx.py"), str(path), str(folder / "plain.pptx")],
                plain_repeats,
            )
            print(
                f"{size:>8} {slides:>7} {elapsed:>12.2f} {memory:>6.0f} {plain:>20.2f} {plain_memory:>6.0f}"
            )
        print(f"\ncardforge times: best of {REPEATS} runs each")
        for small, large in ((100, 1000), (1000, 5000)):
            if small in times and large in times:
                print(f"time({large}) / time({small}) = {times[large] / times[small]:.2f}")


def _slide_count(path: Path) -> int:
    import zipfile

    with zipfile.ZipFile(path) as package:
        return sum(
            1 for name in package.namelist() if name.startswith("ppt/slides/slide") and name.endswith(".xml")
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 100, 1000, 5000])
