"""An SVG drawn to PNG by cairosvg (safe mode: no external file, no entity) in a child
process with limits: `python -m app.brands.svg_raster <longest side>`, the SVG on stdin,
the PNG on stdout. A drawing that would hold the processor or the memory (nested <use>
elements that multiply: 30 levels took 4 minutes in the web process) ends here, stopped by
the kernel, never in a web worker. Plain Python: no Flask, no database.

Exit status: 0 with the PNG; NO_SIZE when the SVG says no size; 1 when it cannot be drawn.
"""

from __future__ import annotations

import io
import math
import sys

CPU_SECONDS = 5
MEMORY_BYTES = 1 << 30
NO_SIZE = 3


def limit_resources() -> None:
    """Past these, the kernel ends this process (CPU) or an allocation fails (memory)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    for limit, value in ((resource.RLIMIT_CPU, CPU_SECONDS), (resource.RLIMIT_AS, MEMORY_BYTES)):
        hard = resource.getrlimit(limit)[1]
        resource.setrlimit(limit, (value if hard == resource.RLIM_INFINITY
                                   else min(value, hard), hard))


class Measured(Exception):  # noqa: N818 - a result, not an error
    """The SVG's size in pixels, raised as soon as cairosvg knows it (nothing drawn)."""


def natural_size(content: bytes) -> tuple[float, float]:
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface

    class Measure(PNGSurface):
        def _create_surface(self, width, height):
            raise Measured(width, height)

    try:
        Measure(Tree(bytestring=content, unsafe=False), None, 96)
    except Measured as measured:
        return measured.args
    return 0.0, 0.0


def rasterise(content: bytes, side_max: int) -> bytes | None:
    """The PNG, its longest side at most `side_max`; None when the SVG has no size."""
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface

    width, height = natural_size(content)
    if not (math.isfinite(width) and math.isfinite(height)) or min(width, height) < 1:
        return None
    scale = min(1.0, side_max / max(width, height))
    out = io.BytesIO()
    surface = PNGSurface(Tree(bytestring=content, unsafe=False), out, 96,
                         output_width=max(1, round(width * scale)),
                         output_height=max(1, round(height * scale)))
    surface.finish()
    return out.getvalue()


def main() -> int:
    limit_resources()
    side_max = int(sys.argv[1]) if len(sys.argv) > 1 else 1200
    try:
        png = rasterise(sys.stdin.buffer.read(), side_max)
    except Exception:  # noqa: BLE001 - cairosvg fails in many ways on a hostile file
        return 1
    if png is None:
        return NO_SIZE
    sys.stdout.buffer.write(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
