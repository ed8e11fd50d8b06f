"""Benchmark: `cardforge export --xlsx` and `cardforge import` of Markdown and XLSX exports.

    python benchmarks/bench_import.py            # 10, 100, 1000 and 5000 personas
    python benchmarks/bench_import.py 100 1000   # other sizes

Each command runs as its own process (start-up and imports included), best of three; the
import reads what cardforge's own Markdown and XLSX exports write for a generated deck, so
every field is filled and every persona appears twice in the Markdown (index and card).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import best_of  # noqa: E402
from generate import deck  # noqa: E402


def main(sizes: list[int]) -> None:
    cardforge = [sys.executable, "-m", "cardforge"]
    print(
        f"{'personas':>8} {'export xlsx s':>14} {'import md s':>12} {'MB':>6} {'import xlsx s':>14} {'MB':>6}"
    )
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for size in sizes:
            path = folder / f"deck-{size}.yaml"
            path.write_text(deck(size), encoding="utf-8")
            markdown = folder / f"md-{size}"
            subprocess.run(
                cardforge + ["markdown", str(path), "-o", str(markdown)], check=True, capture_output=True
            )
            xlsx = folder / f"deck-{size}.xlsx"
            export, _ = best_of(cardforge + ["export", str(path), "--xlsx", str(xlsx)], 3)
            target = folder / "imported.yaml"
            from_md, md_memory = best_of(
                cardforge + ["import", str(markdown), "-o", str(target), "--force", "-q"], 3
            )
            from_xlsx, xlsx_memory = best_of(
                cardforge + ["import", str(xlsx), "-o", str(target), "--force", "-q"], 3
            )
            print(
                f"{size:>8} {export:>14.2f} {from_md:>12.2f} {md_memory:>6.0f} {from_xlsx:>14.2f} {xlsx_memory:>6.0f}"
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 100, 1000, 5000])
