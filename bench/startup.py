"""Import time: `import <framework>` in a fresh interpreter, median of several runs."""

import statistics
import subprocess
import sys

ROWS = [("import", "import time", "s")]
SCRIPT = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"


def measure(framework, module, ctx):
    times = [float(subprocess.run([sys.executable, "-c", SCRIPT.format(framework)],
                                  check=True, capture_output=True, text=True).stdout)
             for _ in range(ctx.repeats)]
    return {"import": statistics.median(times)}
