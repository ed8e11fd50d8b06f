"""Generate the built-in font metrics table from a metric-compatible open font.

PowerPoint's default font, Calibri, is not free to ship, but Carlito has the same advance
widths and vertical metrics. This script reads Carlito's regular and bold faces with
fontTools and writes ``src/cardforge/data/metrics/calibri.json``, so that cardforge
measures text identically on every machine, whatever fonts it has installed.

    apt-get install fonts-crosextra-carlito
    python scripts/gen_metrics.py /usr/share/fonts/truetype/crosextra
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "src" / "cardforge" / "data" / "metrics" / "calibri.json"


def face_table(path: Path) -> dict:
    font = TTFont(path)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = {code: hmtx[name][0] for code, name in cmap.items() if code >= 0x20}
    return {"widths": runs(widths)}


def runs(widths: dict[int, int]) -> list[list]:
    """Compress ``{codepoint: width}`` into ``[[first_codepoint, [w, w, ...]], ...]`` runs."""
    result: list[list] = []
    for code in sorted(widths):
        if result and result[-1][0] + len(result[-1][1]) == code:
            result[-1][1].append(widths[code])
        else:
            result.append([code, [widths[code]]])
    return result


def main(folder: str) -> None:
    base = Path(folder)
    regular = TTFont(base / "Carlito-Regular.ttf")
    hhea, os2 = regular["hhea"], regular["OS/2"]
    table = {
        "family": "Calibri",
        "measured_from": "Carlito (metric-compatible with Calibri)",
        "units_per_em": regular["head"].unitsPerEm,
        "ascender": hhea.ascent,
        "descender": -hhea.descent,
        "line_gap": hhea.lineGap,
        "win_ascent": os2.usWinAscent,
        "win_descent": os2.usWinDescent,
        "regular": face_table(base / "Carlito-Regular.ttf"),
        "bold": face_table(base / "Carlito-Bold.ttf"),
    }
    OUT.write_text(json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/crosextra")
