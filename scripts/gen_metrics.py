"""Generate the built-in font metrics tables from metric-compatible open fonts.

Office's fonts are not free to ship, but open fonts exist with the same advance widths
and vertical metrics: Carlito for Calibri, Liberation Sans for Arial, Liberation Serif for
Times New Roman. This script reads their regular and bold faces with fontTools and writes
``src/cardforge/data/metrics/<family>.json``, so that cardforge measures text identically
on every machine, whatever fonts it has installed.

    apt-get install fonts-crosextra-carlito fonts-liberation2
    python scripts/gen_metrics.py
"""

from __future__ import annotations

import json
from pathlib import Path

from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "src" / "cardforge" / "data" / "metrics"
FONTS = Path("/usr/share/fonts/truetype")
FAMILIES = {
    "calibri": (
        "Calibri",
        "Carlito",
        FONTS / "crosextra" / "Carlito-Regular.ttf",
        FONTS / "crosextra" / "Carlito-Bold.ttf",
    ),
    "arial": (
        "Arial",
        "Liberation Sans",
        FONTS / "liberation2" / "LiberationSans-Regular.ttf",
        FONTS / "liberation2" / "LiberationSans-Bold.ttf",
    ),
    "times": (
        "Times New Roman",
        "Liberation Serif",
        FONTS / "liberation2" / "LiberationSerif-Regular.ttf",
        FONTS / "liberation2" / "LiberationSerif-Bold.ttf",
    ),
}


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


def table(family: str, source: str, regular_path: Path, bold_path: Path) -> dict:
    regular = TTFont(regular_path)
    hhea, os2 = regular["hhea"], regular["OS/2"]
    return {
        "family": family,
        "measured_from": f"{source} (metric-compatible with {family})",
        "units_per_em": regular["head"].unitsPerEm,
        "ascender": hhea.ascent,
        "descender": -hhea.descent,
        "line_gap": hhea.lineGap,
        "win_ascent": os2.usWinAscent,
        "win_descent": os2.usWinDescent,
        "regular": face_table(regular_path),
        "bold": face_table(bold_path),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for key, (family, source, regular, bold) in FAMILIES.items():
        path = OUT / f"{key}.json"
        path.write_text(
            json.dumps(table(family, source, regular, bold), separators=(",", ":"), sort_keys=True) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
