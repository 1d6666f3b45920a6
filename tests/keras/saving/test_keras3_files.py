""".keras files written the way Keras 3 writes them (zip of config.json, metadata.json and
model.weights.h5; configs with DTypePolicy dtypes, build and compile configs; weights
under `layers/<class>/vars/<i>`, the optimizer's under `optimizer/vars/<i>`) load into
eagerflow with their weights, predictions and optimizer state."""

import io
import json
import zipfile

import h5py
import numpy as np

from eagerflow import keras

RNG = np.random.default_rng(3)
POLICY = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
          "registered_name": None}


def initializer(name, **config):
    return {"module": "keras.initializers", "class_name": name, "config": config,
            "registered_name": None}


def layer(class_name, name, input_shape=None, **config):
    entry = {"module": "keras.layers", "class_name": class_name,
             "config": {"name": name, "trainable": True, "dtype": POLICY, **config},
             "registered_name": None}
    if input_shape is not None:
        entry["build_config"] = {"input_shape": input_shape}
    return entry


def input_layer(name, batch_shape):
    return {"module": "keras.layers", "class_name": "InputLayer",
            "config": {"batch_shape": batch_shape, "dtype": "float32", "sparse": False,
                       "ragged": False, "name": name},
            "registered_name": None}


def dense(name, units, input_shape, activation="linear"):
    return layer("Dense", name, input_shape, units=units, activation=activation,
                 use_bias=True, kernel_initializer=initializer("GlorotUniform", seed=None),
                 bias_initializer=initializer("Zeros"), kernel_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 quantization_config=None)


def conv2d(name, filters, input_shape):
    return layer("Conv2D", name, input_shape, filters=filters, kernel_size=[3, 3],
                 strides=[1, 1], padding="valid", data_format="channels_last",
                 dilation_rate=[1, 1], groups=1, activation="relu", use_bias=True,
                 kernel_initializer=initializer("GlorotUniform", seed=None),
                 bias_initializer=initializer("Zeros"), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None)


ADAM = {"module": "keras.optimizers", "class_name": "Adam",
        "config": {"name": "adam", "learning_rate": 0.0010000000474974513,
                   "weight_decay": None, "clipnorm": None, "global_clipnorm": None,
                   "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                   "ema_overwrite_frequency": None, "loss_scale_factor": None,
                   "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999,
                   "epsilon": 1e-07, "amsgrad": False},
        "registered_name": None}
COMPILE = {"optimizer": ADAM, "loss": "sparse_categorical_crossentropy", "loss_weights": None,
           "metrics": ["accuracy"], "weighted_metrics": None, "run_eagerly": False,
           "steps_per_execution": 1, "jit_compile": False}


def write_keras3_file(path, config, groups):
    """A .keras archive as Keras 3's saving_lib writes it: metadata, config, then the
    weights, each saveable's arrays in a `vars` group (an empty one for the root)."""
    weights = io.BytesIO()
    with h5py.File(weights, "w") as handle:
        handle.create_group("vars")
        for group_path, arrays in groups.items():
            group = handle.create_group(group_path).create_group("vars")
            for index, array in enumerate(arrays):
                group[str(index)] = array
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps(
            {"keras_version": "3.6.0", "date_saved": "2024-10-03@12:00:00"}))
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", weights.getvalue())


def random(*shape):
    return RNG.standard_normal(shape).astype("float32")


def conv_relu(x, kernel, bias):
    height, width = x.shape[1] - 2, x.shape[2] - 2
    out = np.zeros((x.shape[0], height, width, kernel.shape[-1]), "float32")
    for i in range(height):
        for j in range(width):
            patch = x[:, i:i + 3, j:j + 3, :]
            out[:, i, j, :] = np.tensordot(patch, kernel, axes=([1, 2, 3], [0, 1, 2]))
    return np.maximum(out + bias, 0)


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_a_keras3_sequential_cnn_loads_with_its_weights_and_optimizer_state(tmp_path):
    conv_kernel, conv_bias = random(3, 3, 1, 2), random(2)
    dense_kernel, dense_bias = random(8, 3), random(3)
    variables = [conv_kernel, conv_bias, dense_kernel, dense_bias]
    momentums = [random(*v.shape) for v in variables]
    velocities = [np.abs(random(*v.shape)) for v in variables]
    interleaved = [s for pair in zip(momentums, velocities) for s in pair]  # Keras 3's order
    config = {
        "module": "keras", "class_name": "Sequential",
        "config": {"name": "sequential", "trainable": True, "dtype": POLICY,
                   "layers": [input_layer("input_layer", [None, 6, 6, 1]),
                              conv2d("conv2d", 2, [None, 6, 6, 1]),
                              layer("MaxPooling2D", "max_pooling2d", [None, 4, 4, 2],
                                    pool_size=[2, 2], padding="valid", strides=[2, 2],
                                    data_format="channels_last"),
                              layer("Flatten", "flatten", [None, 2, 2, 2],
                                    data_format="channels_last"),
                              dense("dense", 3, [None, 8], activation="softmax")],
                   "build_input_shape": [None, 6, 6, 1]},
        "registered_name": None, "build_config": {"input_shape": [None, 6, 6, 1]},
        "compile_config": COMPILE}
    path = tmp_path / "cnn.keras"
    write_keras3_file(path, config, {
        "layers/conv2d": [conv_kernel, conv_bias], "layers/max_pooling2d": [],
        "layers/flatten": [], "layers/dense": [dense_kernel, dense_bias],
        "optimizer": [np.int64(7), np.float32(0.001)] + interleaved})

    model = keras.models.load_model(path)

    assert [type(lay).__name__ for lay in model.layers] == \
        ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]
    for got, want in zip(model.get_weights(), variables):
        np.testing.assert_array_equal(got, want)
    x = random(5, 6, 6, 1)
    features = conv_relu(x, conv_kernel, conv_bias)
    pooled = features.reshape(5, 2, 2, 2, 2, 2).max(axis=(2, 4)).reshape(5, 8)
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               softmax(pooled @ dense_kernel + dense_bias), rtol=1e-5,
                               atol=1e-6)
    optimizer = model.optimizer
    assert type(optimizer).__name__ == "Adam" and int(optimizer.iterations.numpy()) == 7
    saved_slots = interleaved
    assert len(optimizer.variables) == 2 + len(saved_slots)
    for got, want in zip(optimizer.variables[2:], saved_slots):
        np.testing.assert_array_equal(got.numpy(), want)
    model.fit(x, np.array([0, 1, 2, 0, 1]), epochs=1, verbose=0)
    assert int(optimizer.iterations.numpy()) == 8


def keras_tensor(shape, history):
    return {"class_name": "__keras_tensor__",
            "config": {"shape": shape, "dtype": "float32", "keras_history": history}}


def node(*args, **kwargs):
    return {"args": list(args), "kwargs": kwargs}


def functional_entry(entry, *nodes):
    return {**entry, "name": entry["config"]["name"], "inbound_nodes": list(nodes)}


def test_a_keras3_functional_model_with_two_inputs_loads(tmp_path):
    hidden_kernel, hidden_bias = random(4, 5), random(5)
    gamma, beta = random(5), random(5)
    moving_mean, moving_variance = random(5), np.abs(random(5)) + 0.5
    head_kernel, head_bias = random(8, 2), random(2)
    batch_norm = layer(
        "BatchNormalization", "batch_normalization", [None, 5], axis=-1, momentum=0.99,
        epsilon=0.001, center=True, scale=True, beta_initializer=initializer("Zeros"),
        gamma_initializer=initializer("Ones"), moving_mean_initializer=initializer("Zeros"),
        moving_variance_initializer=initializer("Ones"), beta_regularizer=None,
        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
        synchronized=False, renorm=False, renorm_clipping=None, renorm_momentum=0.99)
    config = {
        "module": "keras.src.models.functional", "class_name": "Functional",
        "config": {"name": "two_inputs", "trainable": True, "layers": [
            functional_entry(input_layer("numbers", [None, 4])),
            functional_entry(input_layer("extra", [None, 3])),
            functional_entry(dense("hidden", 5, [None, 4], activation="tanh"),
                             node(keras_tensor([None, 4], ["numbers", 0, 0]))),
            functional_entry(batch_norm, node(keras_tensor([None, 5], ["hidden", 0, 0]))),
            functional_entry(layer("Concatenate", "concatenate", [[None, 5], [None, 3]],
                                   axis=-1),
                             node([keras_tensor([None, 5], ["batch_normalization", 0, 0]),
                                   keras_tensor([None, 3], ["extra", 0, 0])])),
            functional_entry(dense("head", 2, [None, 8]),
                             node(keras_tensor([None, 8], ["concatenate", 0, 0])))],
            "input_layers": [["numbers", 0, 0], ["extra", 0, 0]],
            "output_layers": [["head", 0, 0]]},
        "registered_name": "Functional", "build_config": {"input_shape": None},
        "compile_config": None}
    path = tmp_path / "functional.keras"
    write_keras3_file(path, config, {
        "layers/input_layer": [], "layers/input_layer_1": [],
        "layers/dense": [hidden_kernel, hidden_bias],
        "layers/batch_normalization": [gamma, beta, moving_mean, moving_variance],
        "layers/concatenate": [], "layers/dense_1": [head_kernel, head_bias]})

    model = keras.models.load_model(path)

    assert model.name == "two_inputs" and model.get_layer("head").units == 2
    np.testing.assert_array_equal(model.get_layer("batch_normalization").moving_variance.numpy(),
                                  moving_variance)
    a, b = random(6, 4), random(6, 3)
    hidden = np.tanh(a @ hidden_kernel + hidden_bias)
    normalized = (hidden - moving_mean) / np.sqrt(moving_variance + 0.001) * gamma + beta
    want = np.concatenate([normalized, b], axis=-1) @ head_kernel + head_bias
    got = model.predict([a, b], verbose=0)
    assert got.shape == (6, 2)  # one output: a tensor, not a list of one
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert model.optimizer is None
