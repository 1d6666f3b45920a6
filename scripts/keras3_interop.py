"""Moves .keras files between eagerflow and a real Keras 3, both ways, and compares.

    python scripts/keras3_interop.py KERAS3_PYTHON

KERAS3_PYTHON is an interpreter with Keras 3 installed (e.g. .bench-venv/bin/python after
scripts/bench_venv.sh); this script itself runs under eagerflow's venv. For each model
(Sequential MLP, CNN, two-input Functional), eagerflow saves a compiled, trained model
and Keras loads it and predicts; then Keras saves one and eagerflow loads it and predicts.
Prints the largest prediction and optimizer-state differences.
"""

import json
import os
import subprocess
import sys
import tempfile
import textwrap

import numpy as np

import eagerflow as tf

L = tf.keras.layers

KERAS_SIDE = textwrap.dedent("""
    import json, sys
    import numpy as np
    import keras
    L = keras.layers
    kind, incoming, outgoing, inputs_file = sys.argv[1:5]
    inputs = dict(np.load(inputs_file))
    feed = [inputs[k] for k in sorted(inputs)] if len(inputs) > 1 else inputs["x"]
    loaded = keras.models.load_model(incoming)
    print(json.dumps({"loaded": loaded.predict(feed, verbose=0).tolist(),
                      "optimizer": [np.asarray(v).tolist() for v in loaded.optimizer.variables]}))
    keras.utils.set_random_seed(1)
    fresh = keras.models.clone_model(loaded)
    fresh.compile(optimizer="adam", loss=loaded.loss)
    fresh.set_weights([w * 0.5 for w in loaded.get_weights()])
    fresh.save(outgoing)
    np.save(outgoing + ".expected.npy", fresh.predict(feed, verbose=0))
""")


def mlp():
    return tf.keras.Sequential([L.Input((20,)), L.Dense(16, activation="relu"),
                                L.Dropout(0.1), L.Dense(3, activation="softmax")])


def cnn():
    return tf.keras.Sequential([
        L.Input((12, 12, 1)), L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D(),
        L.BatchNormalization(), L.Flatten(), L.Dense(3, activation="softmax")])


def two_inputs():
    a, b = L.Input((6,), name="a"), L.Input((4,), name="b")
    joined = L.Concatenate()([L.Dense(5, activation="tanh")(a), b])
    return tf.keras.Model([a, b], L.Dense(3, activation="softmax")(joined))


def inputs_for(model, rng, count=8):
    shapes = [tuple(i.shape[1:]) for i in model.inputs]
    if len(shapes) == 1:
        return {"x": rng.normal(size=(count,) + shapes[0]).astype(np.float32)}
    return {i.name: rng.normal(size=(count,) + s).astype(np.float32)
            for i, s in zip(model.inputs, shapes)}


def check(name, build, keras_python, directory, rng):
    tf.random.set_seed(0)
    model = build()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    inputs = inputs_for(model, rng)
    feed = [inputs[k] for k in sorted(inputs)] if len(inputs) > 1 else inputs["x"]
    model.fit(feed, rng.integers(0, 3, 8), epochs=2, verbose=0)
    ours, theirs = (os.path.join(directory, f"{name}.{side}.keras") for side in ("ef", "k3"))
    model.save(ours)
    np.savez(os.path.join(directory, f"{name}.inputs.npz"), **inputs)
    run = subprocess.run([keras_python, "-c", KERAS_SIDE, name, ours, theirs,
                          os.path.join(directory, f"{name}.inputs.npz")],
                         capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"Keras 3 failed on {name}:\n{run.stderr[-3000:]}")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    to_keras = np.abs(np.array(report["loaded"]) - model.predict(feed, verbose=0)).max()
    loaded = tf.keras.models.load_model(theirs)
    from_keras = np.abs(loaded.predict(feed, verbose=0) - np.load(theirs + ".expected.npy")).max()
    state = max(float(np.abs(np.asarray(theirs_value) - v.numpy()).max()) for theirs_value, v
                in zip(report["optimizer"], model.optimizer.variables, strict=True))
    print(f"| {name} | {to_keras:.2e} | {state:.1e} | {from_keras:.2e} |")


def main():
    keras_python = sys.argv[1]
    rng = np.random.default_rng(0)
    print("| model | eagerflow → Keras 3: max |Δ prediction| | max |Δ optimizer state| | "
          "Keras 3 → eagerflow: max |Δ prediction| |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as directory:
        for name, build in (("mlp", mlp), ("cnn", cnn), ("two_inputs", two_inputs)):
            check(name, build, keras_python, directory, rng)


if __name__ == "__main__":
    main()
