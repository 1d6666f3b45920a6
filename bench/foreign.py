"""Starting workers: eagerflow and the NumPy floor run under this Python, TensorFlow and
PyTorch under a comparison Python (default .bench-venv/bin/python, made by
scripts/bench_venv.sh), since they are never eagerflow dependencies."""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_COMPARE = ROOT / ".bench-venv" / "bin" / "python"
FOREIGN = ("tensorflow", "torch")
PROBE = ("import importlib.util; "
         "print(' '.join(n for n in {0!r} if importlib.util.find_spec(n)))".format(FOREIGN))


def interpreters(compare):
    """{framework: python} for every framework that can run, and a note on any missing."""
    pythons = {"eagerflow": sys.executable, "numpy": sys.executable}
    python = pathlib.Path(compare) if compare else DEFAULT_COMPARE
    if not python.exists():
        return pythons, (f"TensorFlow and PyTorch skipped: {python} not found "
                         "(run scripts/bench_venv.sh, or pass --compare PYTHON)")
    probe = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True,
                           cwd=ROOT)
    found = probe.stdout.split()
    pythons.update({name: str(python) for name in found})
    missing = [name for name in FOREIGN if name not in found]
    return pythons, (f"not installed in {python}: {', '.join(missing)}" if missing else None)


def run_worker(python, framework, benchmark, options, timeout):
    """The worker's {"results": ..., "about": ...}, or {"error": message}."""
    command = [python, "-m", "bench.worker", framework, benchmark, json.dumps(options)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {done.returncode}: {last}"}
    return json.loads(done.stdout.strip().splitlines()[-1])
