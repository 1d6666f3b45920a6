"""compile / fit / evaluate / predict and the single-batch methods, against hand-computed
losses and metrics."""

import math

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras

RNG = np.random.default_rng(5)


def data(*shape):
    return RNG.normal(size=shape).astype("float32")


def identity_model(units=1, inputs=1):
    """Dense with a ones kernel and zero bias: each output is the sum of the inputs."""
    return keras.Sequential([keras.Input(shape=(inputs,)),
                             keras.layers.Dense(units, kernel_initializer="ones",
                                                bias_initializer="zeros")])


def frozen_sgd():
    return keras.optimizers.SGD(learning_rate=0.0)


def classifier(bias):
    """Softmax over a constant logit vector `bias` whatever the input."""
    return keras.Sequential([
        keras.Input(shape=(2,)),
        keras.layers.Dense(len(bias), activation="softmax", kernel_initializer="zeros",
                           bias_initializer=keras.initializers.Constant(bias))])


# --- fit ---------------------------------------------------------------------------------


def test_fit_reduces_the_loss_of_a_learnable_problem():
    x = data(128, 4)
    y = (x[:, 0] + x[:, 1] > 0).astype("int32")
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert len(losses) == 15
    assert losses[-1] < 0.6 * losses[0]
    assert history.history["accuracy"][-1] > 0.9


def test_history_object_keys_order_epochs_and_params():
    x, y = data(40, 3), RNG.integers(0, 2, 40)
    model = keras.Sequential([keras.Input(shape=(3,)),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=2, batch_size=16, validation_data=(x, y), verbose=0)
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.epoch == [0, 1]
    assert history.params["epochs"] == 2
    assert history.params["steps"] == 3
    assert model.history is history
    assert all(isinstance(v, float) for values in history.history.values() for v in values)


def test_validation_split_takes_the_last_samples():
    x = data(40, 2)
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=2, batch_size=8, validation_split=0.2, verbose=0)
    assert list(history.history) == ["loss", "mae", "val_loss", "val_mae"]
    assert history.params["steps"] == 4, "32 training samples in batches of 8"
    last_val = model.evaluate(x[32:], y[32:], verbose=0, return_dict=True)
    assert history.history["val_loss"][-1] == pytest.approx(last_val["loss"], rel=1e-5)
    assert history.history["val_mae"][-1] == pytest.approx(last_val["mae"], rel=1e-5)


def test_validation_data_with_sample_weights():
    x = np.array([[1.0], [2.0]], "float32")
    y = np.zeros((2, 1), "float32")
    model = identity_model()
    model.compile(optimizer=frozen_sgd(), loss="mse")
    history = model.fit(x, y, epochs=1, verbose=0,
                        validation_data=(x, y, np.array([1.0, 0.5], "float32")))
    # (1 * 1 + 0.5 * 4) / 2
    assert history.history["val_loss"] == [pytest.approx(1.5)]


def test_validation_freq_runs_validation_every_nth_epoch():
    x, y = data(8, 1), data(8, 1)
    model = identity_model()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, epochs=4, validation_data=(x, y), validation_freq=2, verbose=0)
    assert len(history.history["loss"]) == 4
    assert len(history.history["val_loss"]) == 2


def test_initial_epoch_and_default_batch_size():
    batches = []
    model = identity_model()
    model.compile(optimizer="sgd", loss="mse")
    counter = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: batches.append(b))
    history = model.fit(data(70, 1), data(70, 1), epochs=3, initial_epoch=1, verbose=0,
                        callbacks=[counter])
    assert history.epoch == [1, 2]
    assert batches == [0, 1, 2, 0, 1, 2], "70 samples in batches of 32"


def test_fit_is_silent_with_verbose_0(capsys):
    model = identity_model()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(data(4, 1), data(4, 1), epochs=2, verbose=0)
    model.evaluate(data(4, 1), data(4, 1), verbose=0)
    model.predict(data(4, 1), verbose=0)
    assert capsys.readouterr().out == ""


def test_fit_accepts_tensors_and_multi_input_dicts():
    a = keras.Input(shape=(2,), name="a")
    b = keras.Input(shape=(1,), name="b")
    model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
    model.compile(optimizer="sgd", loss="mse")
    xa, xb, y = data(16, 2), data(16, 1), data(16, 1)
    history = model.fit({"a": tf.constant(xa), "b": tf.constant(xb)}, tf.constant(y),
                        epochs=2, batch_size=4, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.evaluate([xa, xb], y, verbose=0) == pytest.approx(
        model.evaluate({"a": xa, "b": xb}, y, verbose=0), rel=1e-6)


# --- the loss as Keras defines it ----------------------------------------------------------


def test_loss_is_averaged_over_samples_not_batches():
    # Batches of 2, 2 and 1 sample with squared errors 0, 0 and 100: Keras weights each
    # batch's loss by its size, so the epoch loss is 100 / 5.
    x = np.array([[0.0], [0.0], [0.0], [0.0], [10.0]], "float32")
    y = np.zeros((5, 1), "float32")
    model = identity_model()
    model.compile(optimizer=frozen_sgd(), loss="mse")
    assert model.evaluate(x, y, batch_size=2, verbose=0) == pytest.approx(20.0)
    history = model.fit(x, y, batch_size=2, shuffle=False, epochs=1, verbose=0)
    assert history.history["loss"] == [pytest.approx(20.0)]


def test_sample_weight_scales_each_sample_loss():
    x = np.array([[1.0], [2.0], [3.0], [4.0]], "float32")
    y = np.zeros((4, 1), "float32")
    weights = np.array([1.0, 0.0, 2.0, 0.5], "float32")
    model = identity_model()
    model.compile(optimizer=frozen_sgd(), loss="mse")
    # sum_over_batch_size: sum(w * (y - p)^2) / number of samples
    expected = (1 * 1 + 0 * 4 + 2 * 9 + 0.5 * 16) / 4
    assert model.test_on_batch(x, y, sample_weight=weights) == pytest.approx(expected)
    assert model.evaluate(x, y, sample_weight=weights, verbose=0) == pytest.approx(expected)
    history = model.fit(x, y, sample_weight=weights, batch_size=4, epochs=1, verbose=0)
    assert history.history["loss"] == [pytest.approx(expected)]


def test_class_weight_weights_samples_by_their_label():
    model = classifier([0.0, math.log(2.0), 0.0])  # probabilities 1/4, 1/2, 1/4
    model.compile(optimizer=frozen_sgd(), loss="sparse_categorical_crossentropy")
    x = np.zeros((4, 2), "float32")
    y = np.array([0, 1, 2, 1])
    class_weight = {0: 1.0, 1: 2.0, 2: 0.5}
    # per-sample -log p: log 4, log 2, log 4, log 2; weighted by 1, 2, 0.5, 2; divided by 4
    expected = (math.log(4) * 1.5 + math.log(2) * 4) / 4
    history = model.fit(x, y, class_weight=class_weight, batch_size=4, epochs=1, verbose=0)
    assert history.history["loss"] == [pytest.approx(expected, rel=1e-5)]
    assert model.train_on_batch(x, y, class_weight=class_weight) == pytest.approx(expected,
                                                                                  rel=1e-5)
    unweighted = (2 * math.log(4) + 2 * math.log(2)) / 4
    assert model.evaluate(x, y, verbose=0) == pytest.approx(unweighted, rel=1e-5)


def test_class_weight_with_one_hot_labels():
    model = classifier([0.0, math.log(2.0), 0.0])
    model.compile(optimizer=frozen_sgd(), loss="categorical_crossentropy")
    y = np.eye(3, dtype="float32")[[0, 1, 2, 1]]
    history = model.fit(np.zeros((4, 2), "float32"), y, class_weight={0: 1.0, 1: 2.0, 2: 0.5},
                        batch_size=4, epochs=1, verbose=0)
    expected = (math.log(4) * 1.5 + math.log(2) * 4) / 4
    assert history.history["loss"] == [pytest.approx(expected, rel=1e-5)]


# --- multiple outputs --------------------------------------------------------------------


def two_head_model():
    inputs = keras.Input(shape=(3,), name="features")
    trunk = keras.layers.Dense(4, activation="relu")(inputs)
    reg = keras.layers.Dense(1, name="reg")(trunk)
    cls = keras.layers.Dense(3, activation="softmax", name="cls")(trunk)
    return keras.Model(inputs, [reg, cls])


def test_multi_output_dict_losses_give_per_output_history_keys():
    model = two_head_model()
    model.compile(optimizer="sgd",
                  loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
                  metrics={"reg": ["mae"], "cls": ["accuracy"]})
    x, y_reg, y_cls = data(32, 3), data(32, 1), RNG.integers(0, 3, 32)
    history = model.fit(x, {"reg": y_reg, "cls": y_cls}, epochs=2, batch_size=8, verbose=0,
                        validation_data=(x, [y_reg, y_cls]))
    expected = {"loss", "reg_loss", "cls_loss", "reg_mae", "cls_accuracy"}
    assert set(history.history) == expected | {f"val_{k}" for k in expected}
    assert list(history.history) == sorted(history.history)


def test_multi_output_loss_weights_and_per_output_values():
    model = two_head_model()
    model.compile(optimizer=frozen_sgd(), loss=["mse", "sparse_categorical_crossentropy"],
                  loss_weights={"reg": 0.3, "cls": 2.0},
                  metrics={"reg": ["mae"], "cls": ["accuracy"]})
    x, y_reg, y_cls = data(16, 3), data(16, 1), RNG.integers(0, 3, 16)
    pred_reg, pred_cls = model.predict(x, verbose=0)
    mse = float(np.mean((pred_reg - y_reg) ** 2))
    mae = float(np.mean(np.abs(pred_reg - y_reg)))
    cross_entropy = float(np.mean(-np.log(pred_cls[np.arange(16), y_cls])))
    accuracy = float(np.mean(pred_cls.argmax(axis=1) == y_cls))
    logs = model.evaluate(x, [y_reg, y_cls], batch_size=16, verbose=0, return_dict=True)
    assert logs["reg_loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["cls_loss"] == pytest.approx(cross_entropy, rel=1e-5)
    assert logs["loss"] == pytest.approx(0.3 * mse + 2.0 * cross_entropy, rel=1e-5)
    assert logs["reg_mae"] == pytest.approx(mae, rel=1e-5)
    assert logs["cls_accuracy"] == pytest.approx(accuracy)
    values = model.evaluate(x, [y_reg, y_cls], batch_size=16, verbose=0)
    assert isinstance(values, list) and len(values) == 5
    assert values[0] == pytest.approx(logs["loss"])
    assert sorted(values) == pytest.approx(sorted(logs.values()))


def test_list_loss_weights_and_one_metric_list_per_output():
    model = two_head_model()
    model.compile(optimizer=frozen_sgd(), loss=["mse", "mse"], loss_weights=[0.5, 0.0],
                  metrics=[["mae"], ["mse"]])
    x, y_reg, y_cls = data(8, 3), data(8, 1), data(8, 3)
    pred_reg, pred_cls = model.predict(x, verbose=0)
    logs = model.evaluate(x, [y_reg, y_cls], batch_size=8, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "reg_loss", "cls_loss", "reg_mae", "cls_mse"}
    assert logs["loss"] == pytest.approx(0.5 * logs["reg_loss"], rel=1e-6)
    assert logs["reg_mae"] == pytest.approx(float(np.mean(np.abs(pred_reg - y_reg))), rel=1e-5)
    assert logs["cls_mse"] == pytest.approx(float(np.mean((pred_cls - y_cls) ** 2)), rel=1e-5)


def test_dict_loss_weights():
    model = two_head_model()
    model.compile(optimizer=frozen_sgd(), loss={"reg": "mse", "cls": "mse"},
                  loss_weights={"reg": 0.0, "cls": 1.0})
    x, y_reg, y_cls = data(8, 3), data(8, 1), data(8, 3)
    logs = model.evaluate(x, {"reg": y_reg, "cls": y_cls}, batch_size=8, verbose=0,
                          return_dict=True)
    assert logs["loss"] == pytest.approx(logs["cls_loss"], rel=1e-6)


# --- evaluate and predict ------------------------------------------------------------------


def test_evaluate_returns_a_scalar_a_list_or_a_dict():
    x = np.array([[1.0], [-1.0]], "float32")
    y = np.array([[0.0], [0.0]], "float32")
    model = identity_model()
    model.compile(optimizer="sgd", loss="mse")
    assert model.evaluate(x, y, verbose=0) == pytest.approx(1.0)
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    assert model.evaluate(x, y, verbose=0) == [pytest.approx(1.0), pytest.approx(1.0)]
    assert model.evaluate(x, y, verbose=0, return_dict=True) == {
        "loss": pytest.approx(1.0), "mae": pytest.approx(1.0)}


def test_predict_batches_and_concatenates():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
    x = data(10, 3)
    batches = []
    counter = keras.callbacks.LambdaCallback(
        on_predict_batch_end=lambda batch, logs: batches.append(batch))
    predicted = model.predict(x, batch_size=4, verbose=0, callbacks=[counter])
    assert batches == [0, 1, 2]
    assert isinstance(predicted, np.ndarray)
    assert predicted.shape == (10, 2)
    np.testing.assert_allclose(predicted, model(x).numpy(), rtol=1e-6)


def test_predict_does_not_need_compile():
    model = identity_model(units=2, inputs=2)
    np.testing.assert_allclose(model.predict(np.ones((3, 2), "float32"), verbose=0),
                               np.full((3, 2), 2.0))


def test_single_batch_methods():
    x = np.array([[1.0], [3.0]], "float32")
    y = np.array([[0.0], [1.0]], "float32")
    model = identity_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse",
                  metrics=["mae"])
    # before the step: errors 1 and 2 -> mse 2.5, mae 1.5
    assert model.test_on_batch(x, y) == [pytest.approx(2.5), pytest.approx(1.5)]
    assert model.train_on_batch(x, y, return_dict=True) == {"loss": pytest.approx(2.5),
                                                            "mae": pytest.approx(1.5)}
    # gradient of the mse w.r.t. the kernel: mean(2 * (p - y) * x) = (2 + 12) / 2 = 7
    kernel, bias = model.layers[0].get_weights()
    assert kernel[0, 0] == pytest.approx(1.0 - 0.1 * 7.0)
    assert bias[0] == pytest.approx(0.0 - 0.1 * 3.0)
    predicted = model.predict_on_batch(x)
    assert isinstance(predicted, np.ndarray)
    np.testing.assert_allclose(predicted, x * kernel[0, 0] + bias[0], rtol=1e-6)
    assert model.test_on_batch(x, y, return_dict=True)["loss"] == pytest.approx(
        float(np.mean((predicted - y) ** 2)), rel=1e-5)


def test_compile_default_optimizer_and_objects():
    model = identity_model()
    model.compile(loss=keras.losses.MeanSquaredError(),
                  metrics=[keras.metrics.MeanAbsoluteError(), "mse"])
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)
    logs = model.evaluate(np.ones((2, 1), "float32"), np.zeros((2, 1), "float32"), verbose=0,
                          return_dict=True)
    assert logs == {"loss": pytest.approx(1.0), "mean_absolute_error": pytest.approx(1.0),
                    "mse": pytest.approx(1.0)}


# --- 'accuracy' follows the loss and shapes ------------------------------------------------


def test_accuracy_is_sparse_categorical_for_integer_labels():
    model = classifier([0.0, 1.0, 0.0])  # always predicts class 1
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    y = np.array([1, 1, 0, 2, 1])
    loss, accuracy = model.evaluate(np.zeros((5, 2), "float32"), y, verbose=0)
    assert accuracy == pytest.approx(0.6)


def test_accuracy_is_categorical_for_one_hot_labels():
    model = classifier([0.0, 0.0, 1.0])  # always predicts class 2
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["acc"])
    y = np.eye(3, dtype="float32")[[2, 0, 2, 1]]
    logs = model.evaluate(np.zeros((4, 2), "float32"), y, verbose=0, return_dict=True)
    assert logs["acc"] == pytest.approx(0.5)


def test_accuracy_is_binary_for_one_unit():
    model = keras.Sequential([keras.Input(shape=(1,)),
                              keras.layers.Dense(1, activation="sigmoid",
                                                 kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    x = np.array([[-2.0], [-1.0], [1.0], [2.0]], "float32")  # p < 0.5, <, >, >
    y = np.array([[0.0], [1.0], [1.0], [1.0]], "float32")
    loss, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy == pytest.approx(0.75)
    p = 1 / (1 + np.exp(-x))
    expected = np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))
    assert loss == pytest.approx(expected, rel=1e-5)


# --- generators --------------------------------------------------------------------------


def test_python_generator_with_steps_per_epoch():
    def batches():
        while True:
            x = RNG.normal(size=(8, 1)).astype("float32")
            yield x, 2.0 * x

    steps = []
    counter = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: steps.append(b))
    model = identity_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    history = model.fit(batches(), steps_per_epoch=3, epochs=4, verbose=0, callbacks=[counter])
    assert steps == [0, 1, 2] * 4
    assert len(history.history["loss"]) == 4
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.layers[0].get_weights()[0][0, 0] == pytest.approx(2.0, abs=0.2)


def test_generators_for_evaluate_and_predict():
    model = identity_model()
    model.compile(optimizer="sgd", loss="mae")
    pairs = ((np.full((2, 1), float(i), "float32"), np.zeros((2, 1), "float32"))
             for i in range(3))
    assert model.evaluate(pairs, verbose=0) == pytest.approx(1.0)  # mean of 0, 1, 2
    inputs = (np.full((2, 1), float(i), "float32") for i in range(10))
    predicted = model.predict(inputs, steps=2, verbose=0)
    np.testing.assert_allclose(predicted.ravel(), [0.0, 0.0, 1.0, 1.0])


def test_generator_with_sample_weights():
    model = identity_model()
    model.compile(optimizer=frozen_sgd(), loss="mse")
    triples = iter([(np.array([[1.0], [2.0]], "float32"), np.zeros((2, 1), "float32"),
                     np.array([1.0, 0.0], "float32"))])
    assert model.evaluate(triples, verbose=0) == pytest.approx(0.5)


class Batches:
    """A re-iterable source of batches, like a tf.data.Dataset: each iter() starts over."""

    def __init__(self, batches):
        self.batches = batches

    def __iter__(self):
        return iter(self.batches)

    def __len__(self):
        return len(self.batches)


def test_a_reiterable_source_is_iterated_afresh_every_epoch():
    x = data(12, 1)
    source = Batches([(x[i:i + 4], 2.0 * x[i:i + 4]) for i in range(0, 12, 4)])
    steps = []
    counter = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: steps.append(b))
    model = identity_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    history = model.fit(source, epochs=3, verbose=0, callbacks=[counter],
                        validation_data=source)
    assert steps == [0, 1, 2] * 3
    assert len(history.history["val_loss"]) == 3
    assert model.evaluate(source, verbose=0) == pytest.approx(
        model.evaluate(x, 2.0 * x, batch_size=4, verbose=0))


def test_steps_per_epoch_continues_one_pass_across_epochs(caplog):
    x = np.arange(5, dtype="float32").reshape(5, 1)
    source = Batches([(x[i:i + 1], x[i:i + 1]) for i in range(5)])
    seen = []
    model = identity_model()
    model.compile(optimizer=frozen_sgd(), loss="mse")
    recorder = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda b, logs: seen.append(b))
    model.fit(source, steps_per_epoch=2, epochs=3, verbose=0, callbacks=[recorder])
    assert seen == [0, 1, 0, 1, 0]          # the fifth batch ends the single pass
    assert "ran out of data" in caplog.text


def test_seed_multimodal_model_trains_with_dict_losses_and_metrics():
    # Seed 001's multimodal model with smaller images, to keep the test fast.
    from eagerflow.keras.layers import Concatenate, Conv2D, Dense, Flatten, Input, MaxPooling2D
    image_input = Input(shape=(16, 16, 3), name="image_input")
    metadata_input = Input(shape=(10,), name="metadata_input")
    audio_input = Input(shape=(100,), name="audio_input")
    video_input = Input(shape=(8, 8, 3), name="video_input")
    conv1 = Conv2D(32, (3, 3), activation="relu")(image_input)
    pool1 = MaxPooling2D((2, 2))(conv1)
    conv2 = Conv2D(64, (3, 3), activation="relu")(pool1)
    pool2 = MaxPooling2D((2, 2))(conv2)
    flatten_image = Flatten()(pool2)
    concatenated = Concatenate()([flatten_image, metadata_input, audio_input,
                                  Flatten()(video_input)])
    dense1 = Dense(128, activation="relu")(concatenated)
    classification_output = Dense(10, activation="softmax",
                                  name="classification_output")(dense1)
    regression_output = Dense(1, activation="linear", name="regression_output")(dense1)
    model = tf.keras.Model(inputs=[image_input, metadata_input, audio_input, video_input],
                           outputs=[classification_output, regression_output])
    model.compile(optimizer="adam",
                  loss={"classification_output": "categorical_crossentropy",
                        "regression_output": "mse"},
                  metrics={"classification_output": "accuracy", "regression_output": "mae"})
    n = 4
    inputs = [data(n, 16, 16, 3), data(n, 10), data(n, 100), data(n, 8, 8, 3)]
    targets = {"classification_output": np.eye(10, dtype="float32")[RNG.integers(0, 10, n)],
               "regression_output": data(n, 1)}
    history = model.fit(inputs, targets, epochs=2, batch_size=2, verbose=0)
    assert set(history.history) == {"loss", "classification_output_loss",
                                    "regression_output_loss", "classification_output_accuracy",
                                    "regression_output_mae"}
    first, second = history.history["loss"]
    assert np.isfinite(first) and np.isfinite(second)
