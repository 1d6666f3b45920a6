"""`import eagerflow` loads only what every program needs: NumPy and the core. Keras,
tf.data and the optional packages (h5py, tensorboardX, pydot, pandas, matplotlib) load
when first used."""

import subprocess
import sys

LATER = ["eagerflow.keras", "eagerflow.data", "h5py", "tensorboardX", "tensorboard", "pydot",
         "pandas", "matplotlib", "google.protobuf"]


def test_import_loads_no_optional_package_and_no_keras_or_data():
    code = f"import sys, eagerflow; print([m for m in {LATER!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_lazy_subpackages_load_on_first_use():
    code = ("import sys, eagerflow as tf; ds = tf.data.Dataset.range(3); "
            "print(int(ds.cardinality()), 'eagerflow.data' in sys.modules, "
            "tf.keras.layers.Dense.__name__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["3", "True", "Dense"]
