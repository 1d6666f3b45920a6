"""Callbacks driven by a fake model and synthetic logs, as the trainer drives them."""

import math

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import callbacks
from eagerflow.keras.callbacks import (Callback, CallbackList, CSVLogger, EarlyStopping, History,
                                       LambdaCallback, LearningRateScheduler, ModelCheckpoint,
                                       ProgbarLogger, ReduceLROnPlateau, TerminateOnNaN)


class FloatOptimizer:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate


class VariableOptimizer:
    """Keeps the learning rate in a float32 tf.Variable, as Keras optimizers do."""

    def __init__(self, learning_rate):
        self._learning_rate = tf.Variable(learning_rate, dtype=tf.float32)

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate.assign(value)


class Metric:
    def __init__(self, name, direction):
        self.name = name
        self._direction = direction


class MetricsContainer:
    """Like Keras's compile-metrics container: a metric holding other metrics."""

    def __init__(self, metrics):
        self.name = "compile_metrics"
        self.metrics = metrics


class FakeModel:
    def __init__(self, optimizer=None, metrics=(), metrics_names=()):
        self.weights = [np.zeros(2), np.zeros(1)]
        self.stop_training = False
        self.optimizer = optimizer or FloatOptimizer(0.1)
        self.metrics = list(metrics)
        self.metrics_names = list(metrics_names)
        self.saved = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [np.array(w) for w in weights]

    def save_weights(self, filepath, overwrite=True):
        self.saved.append(("weights", filepath))
        open(filepath, "w").close()

    def save(self, filepath, overwrite=True):
        self.saved.append(("model", filepath))
        open(filepath, "w").close()


def run_epochs(callback_list, model, logs_per_epoch):
    """fit's epoch loop: sets weights to the epoch index, stops on model.stop_training."""
    callback_list.on_train_begin()
    ran = []
    for epoch, logs in enumerate(logs_per_epoch):
        callback_list.on_epoch_begin(epoch)
        model.weights = [np.full(2, float(epoch)), np.full(1, float(epoch))]
        callback_list.on_epoch_end(epoch, dict(logs))
        ran.append(epoch)
        if model.stop_training:
            break
    callback_list.on_train_end()
    return ran


class Recorder(Callback):
    """Records every hook call as (hook, args, logs)."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if not name.startswith("on_"):
            return super().__getattribute__(name)

        def record(*args, **kwargs):
            # Batch hooks get logs by keyword, the others positionally.
            logs = kwargs["logs"] if "batch" in name else args[-1]
            self.calls.append((name, args if "batch" in name else args[:-1], logs))
        return record


# ---------------------------------------------------------------- Callback, CallbackList


def test_callback_train_batch_hooks_call_the_legacy_aliases():
    seen = []

    class Legacy(Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch, logs))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, logs))

    cb = Legacy()
    cb.on_train_batch_begin(3, {"a": 1.0})
    cb.on_train_batch_end(3, logs={"loss": 0.5})
    assert seen == [("begin", 3, {"a": 1.0}), ("end", 3, {"loss": 0.5})]


def test_callback_model_and_params():
    cb = Callback()
    assert cb.model is None and cb.params is None
    model = FakeModel()
    cb.set_model(model)
    cb.set_params({"epochs": 3})
    assert cb.model is model and cb.params == {"epochs": 3}
    with pytest.raises(AttributeError):
        cb.model = model


def test_callback_list_forwards_every_hook_in_order():
    first, second = Recorder(), Recorder()
    cbs = CallbackList([first, second])
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    cbs.on_train_batch_begin(0)
    cbs.on_train_batch_end(0, {"loss": 1.0})
    cbs.on_test_begin()
    cbs.on_test_batch_begin(0)
    cbs.on_test_batch_end(0, {"loss": 2.0})
    cbs.on_test_end({"loss": 2.0})
    cbs.on_epoch_end(0, {"loss": 1.0})
    cbs.on_train_end()
    cbs.on_predict_begin()
    cbs.on_predict_batch_begin(0)
    cbs.on_predict_batch_end(0, {"outputs": [1]})
    cbs.on_predict_end()
    cbs.on_batch_begin(1)
    cbs.on_batch_end(1, {"loss": 3.0})
    expected = [
        ("on_train_begin", (), {}), ("on_epoch_begin", (0,), {}),
        ("on_train_batch_begin", (0,), {}), ("on_train_batch_end", (0,), {"loss": 1.0}),
        ("on_test_begin", (), {}), ("on_test_batch_begin", (0,), {}),
        ("on_test_batch_end", (0,), {"loss": 2.0}), ("on_test_end", (), {"loss": 2.0}),
        ("on_epoch_end", (0,), {"loss": 1.0}), ("on_train_end", (), {}),
        ("on_predict_begin", (), {}), ("on_predict_batch_begin", (0,), {}),
        ("on_predict_batch_end", (0,), {"outputs": [1]}), ("on_predict_end", (), {}),
        ("on_batch_begin", (1,), {}), ("on_batch_end", (1,), {"loss": 3.0})]
    assert first.calls == expected
    assert second.calls == expected


def test_callback_list_batch_logs_are_sorted_python_floats():
    recorder = Recorder()
    cbs = CallbackList([recorder])
    cbs.on_train_batch_end(0, {"loss": tf.constant(0.5), "accuracy": np.float32(0.25),
                               "nested": {"b_metric": 2}, "name": "x"})
    logs = recorder.calls[0][2]
    # Sorted by key; a nested dict is flattened where its own key sorts.
    assert list(logs) == ["accuracy", "loss", "name", "b_metric"]
    assert logs == {"accuracy": 0.25, "b_metric": 2.0, "loss": 0.5, "name": "x"}
    assert all(type(logs[k]) is float for k in ("accuracy", "b_metric", "loss"))


def test_callback_list_epoch_logs_are_shared_so_later_callbacks_see_additions():
    model = FakeModel(optimizer=FloatOptimizer(0.01))
    cbs = CallbackList([LearningRateScheduler(lambda epoch, lr: lr)], add_history=True,
                       model=model, verbose=0, epochs=1, steps=1)
    logs = {"loss": 1.0}
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    cbs.on_epoch_end(0, logs)
    assert logs == {"loss": 1.0, "learning_rate": 0.01}
    assert model.history.history == {"loss": [1.0], "learning_rate": [0.01]}


def test_callback_list_adds_history_and_progbar_once():
    model = FakeModel()
    history = History()
    cbs = CallbackList([history], add_history=True, add_progbar=True, model=model, verbose=2,
                       epochs=5, steps=10)
    assert cbs.callbacks[0] is history and len(cbs.callbacks) == 2
    progbar = cbs.callbacks[1]
    assert isinstance(progbar, ProgbarLogger)
    assert (progbar.verbose, progbar.epochs, progbar.target) == (2, 5, 10)
    assert model.history is history and cbs.history is history
    assert all(cb.model is model for cb in cbs.callbacks)
    assert cbs.params == {"verbose": 2, "epochs": 5, "steps": 10}
    assert CallbackList().callbacks == [] and CallbackList().history is None
    single, nested = History(), [[Callback()], (Callback(),)]
    assert CallbackList(single).callbacks == [single]
    assert CallbackList(nested).callbacks == [nested[0][0], nested[1][0]]


def test_callback_list_without_params_leaves_callback_params_alone():
    recorder = History()
    CallbackList([recorder])
    assert recorder.params is None


# ---------------------------------------------------------------------------- History


def test_history_records_each_epoch():
    model = FakeModel()
    cbs = CallbackList(add_history=True, model=model)
    run_epochs(cbs, model, [{"accuracy": 0.5, "loss": 0.9, "val_loss": 1.0},
                            {"accuracy": 0.75, "loss": 0.4, "val_loss": 0.8}])
    history = model.history
    assert isinstance(history, History)
    assert history.epoch == [0, 1]
    assert history.history == {"accuracy": [0.5, 0.75], "loss": [0.9, 0.4],
                               "val_loss": [1.0, 0.8]}
    assert list(history.history) == ["accuracy", "loss", "val_loss"]


# ---------------------------------------------------------------------- EarlyStopping


def stop_run(callback, values, monitor="val_loss", model=None):
    model = model or FakeModel()
    ran = run_epochs(CallbackList([callback], model=model), model,
                     [{monitor: v} for v in values])
    return ran, model


def test_early_stopping_stops_after_patience_and_restores_best_weights():
    callback = EarlyStopping(patience=2, restore_best_weights=True)
    ran, model = stop_run(callback, [1.0, 0.8, 0.9, 0.85, 0.7, 0.6])
    # Best at epoch 1; epochs 2 and 3 do not improve: stop at epoch 3.
    assert ran == [0, 1, 2, 3]
    assert model.stop_training and callback.stopped_epoch == 3
    assert callback.best == 0.8 and callback.best_epoch == 1
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])
    np.testing.assert_array_equal(model.weights[1], [1.0])


def test_early_stopping_without_restore_keeps_the_last_weights():
    ran, model = stop_run(EarlyStopping(monitor="loss", patience=0), [1.0, 1.5, 0.5],
                          monitor="loss")
    assert ran == [0, 1]
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])


def test_early_stopping_min_delta_needs_a_large_enough_change():
    # 0.95 is not below 1.0 - 0.1: no improvement; patience 1 stops at epoch 1.
    ran, _ = stop_run(EarlyStopping(min_delta=-0.1, patience=1), [1.0, 0.95, 0.5])
    assert ran == [0, 1]
    ran, _ = stop_run(EarlyStopping(min_delta=0.01, patience=1), [1.0, 0.95, 0.5])
    assert ran == [0, 1, 2]


def test_early_stopping_max_mode_from_the_metric_direction():
    model = FakeModel(metrics=[Metric("loss", "down"),
                               MetricsContainer([Metric("accuracy", "up")])])
    callback = EarlyStopping(monitor="val_accuracy", patience=1)
    ran, _ = stop_run(callback, [0.5, 0.7, 0.6, 0.9], monitor="val_accuracy", model=model)
    assert ran == [0, 1, 2]
    assert callback.best == 0.7


def test_early_stopping_explicit_max_mode():
    ran, _ = stop_run(EarlyStopping(monitor="auc", mode="max", patience=0), [0.5, 0.4],
                      monitor="auc")
    assert ran == [0, 1]


def test_early_stopping_auto_mode_needs_a_known_direction():
    with pytest.raises(ValueError, match="monitor=val_f1, but Keras isn't able to"):
        stop_run(EarlyStopping(monitor="val_f1"), [0.5], monitor="val_f1")


def test_early_stopping_baseline_keeps_counting_until_beaten():
    # Improvements that stay above the baseline do not restart the wait.
    ran, _ = stop_run(EarlyStopping(patience=2, baseline=0.5), [0.9, 0.8, 0.85])
    assert ran == [0, 1, 2]
    ran, _ = stop_run(EarlyStopping(patience=2), [0.9, 0.8, 0.85, 0.84])
    assert ran == [0, 1, 2, 3]
    ran, model = stop_run(EarlyStopping(patience=2), [0.9, 0.8, 0.85])
    assert not model.stop_training


def test_early_stopping_start_from_epoch_skips_warm_up():
    callback = EarlyStopping(patience=0, start_from_epoch=2)
    ran, _ = stop_run(callback, [1.0, 2.0, 3.0, 4.0])
    # Epochs 0 and 1 are not monitored; epoch 2 sets the best, epoch 3 stops.
    assert ran == [0, 1, 2, 3] and callback.stopped_epoch == 3 and callback.best == 3.0


def test_early_stopping_verbose_messages(capsys):
    stop_run(EarlyStopping(patience=0, verbose=1, restore_best_weights=True), [1.0, 2.0])
    assert capsys.readouterr().out == (
        "Epoch 2: early stopping\nRestoring model weights from the end of the best epoch: 1.\n")


def test_early_stopping_warns_on_a_missing_monitor():
    with pytest.warns(UserWarning, match="`val_loss` which is not available. Available "
                                         "metrics are: loss"):
        ran, model = stop_run(EarlyStopping(), [1.0, 2.0], monitor="loss")
    assert ran == [0, 1] and not model.stop_training


def test_unknown_mode_warns_and_falls_back_to_auto():
    with pytest.warns(UserWarning, match="EarlyStopping mode 'up' is unknown"):
        callback = EarlyStopping(mode="up")
    assert callback.mode == "auto"


# -------------------------------------------------------------------- ModelCheckpoint


def test_model_checkpoint_saves_only_improvements_with_formatted_names(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5")
    checkpoint = ModelCheckpoint(path, save_best_only=True, save_weights_only=True)
    run_epochs(CallbackList([checkpoint], model=model), model,
               [{"val_loss": 0.5}, {"val_loss": 0.6}, {"val_loss": 0.4}])
    assert model.saved == [("weights", str(tmp_path / "ckpt-01-0.50.weights.h5")),
                           ("weights", str(tmp_path / "ckpt-03-0.40.weights.h5"))]
    assert checkpoint.best == 0.4


def test_model_checkpoint_saves_every_epoch_and_makes_directories(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "run" / "model-{epoch}-{loss:.1f}.keras")
    run_epochs(CallbackList([ModelCheckpoint(path)], model=model), model,
               [{"loss": 0.5}, {"loss": 0.25}])
    assert model.saved == [("model", str(tmp_path / "run" / "model-1-0.5.keras")),
                           ("model", str(tmp_path / "run" / "model-2-0.2.keras"))]
    assert (tmp_path / "run" / "model-2-0.2.keras").exists()


def test_model_checkpoint_max_mode_and_initial_threshold(tmp_path):
    model = FakeModel()
    checkpoint = ModelCheckpoint(str(tmp_path / "best.keras"), monitor="val_accuracy",
                                 mode="max", save_best_only=True, initial_value_threshold=0.6)
    run_epochs(CallbackList([checkpoint], model=model), model,
               [{"val_accuracy": 0.5}, {"val_accuracy": 0.7}, {"val_accuracy": 0.65}])
    assert model.saved == [("model", str(tmp_path / "best.keras"))]


def test_model_checkpoint_by_batch_count(tmp_path):
    model = FakeModel()
    checkpoint = ModelCheckpoint(str(tmp_path / "e{epoch}-b{batch}.keras"), save_freq=3)
    cbs = CallbackList([checkpoint], model=model)
    cbs.on_train_begin()
    for epoch in range(2):
        cbs.on_epoch_begin(epoch)
        for batch in range(4):
            cbs.on_train_batch_end(batch, {"loss": 1.0})
        cbs.on_epoch_end(epoch, {"loss": 1.0})
    # Batches counted across epochs: the 3rd, 6th (epoch 2, batch 2) and so on.
    assert [p for _, p in model.saved] == [str(tmp_path / "e1-b3.keras"),
                                           str(tmp_path / "e2-b2.keras")]


def test_model_checkpoint_verbose_messages(tmp_path, capsys):
    model = FakeModel()
    path = str(tmp_path / "m.keras")
    checkpoint = ModelCheckpoint(path, save_best_only=True, verbose=1)
    run_epochs(CallbackList([checkpoint], model=model), model,
               [{"val_loss": 0.5}, {"val_loss": 0.75}])
    assert capsys.readouterr().out == (
        f"\nEpoch 1: val_loss improved from inf to 0.50000, saving model to {path}\n"
        f"\nEpoch 1: finished saving model to {path}\n"
        "\nEpoch 2: val_loss did not improve from 0.50000\n")


def test_model_checkpoint_filepath_errors(tmp_path):
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5` \(Keras weights format\)"
                                         r"\. Received: filepath=w\.keras"):
        ModelCheckpoint("w.keras", save_weights_only=True)
    with pytest.raises(ValueError, match=r"must end in `\.keras` \(Keras model format\)\. "
                                         r"Received: filepath=model\.ckpt"):
        ModelCheckpoint("model.ckpt")
    with pytest.raises(ValueError, match="Unrecognized save_freq: batch"):
        ModelCheckpoint("m.keras", save_freq="batch")
    model = FakeModel()
    checkpoint = ModelCheckpoint(str(tmp_path / "{val_acc}.keras"))
    checkpoint.set_model(model)
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        checkpoint.on_epoch_end(0, {"val_loss": 1.0})


# ------------------------------------------------------------------ LR schedulers


@pytest.mark.parametrize("optimizer_class", [FloatOptimizer, VariableOptimizer])
def test_learning_rate_scheduler_sets_the_rate_each_epoch(optimizer_class):
    model = FakeModel(optimizer=optimizer_class(0.5))
    scheduler = LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch > 0 else lr)
    cbs = CallbackList([scheduler], add_history=True, model=model)
    run_epochs(cbs, model, [{"loss": 1.0}] * 3)
    assert float(model.optimizer.learning_rate) == 0.125
    assert model.history.history["learning_rate"] == [0.5, 0.25, 0.125]


def test_learning_rate_scheduler_one_argument_schedule_and_verbose(capsys):
    model = FakeModel()
    rates = [0.1, 0.01]
    run_epochs(CallbackList([LearningRateScheduler(lambda epoch: rates[epoch], verbose=1)],
                            model=model), model, [{}, {}])
    assert model.optimizer.learning_rate == 0.01
    assert capsys.readouterr().out == (
        "\nEpoch 1: LearningRateScheduler setting learning rate to 0.1.\n"
        "\nEpoch 2: LearningRateScheduler setting learning rate to 0.01.\n")


def test_learning_rate_scheduler_needs_a_float():
    model = FakeModel()
    scheduler = LearningRateScheduler(lambda epoch, lr: 1)
    scheduler.set_model(model)
    with pytest.raises(ValueError, match="should be a float. Got: 1"):
        scheduler.on_epoch_begin(0)
    scheduler = LearningRateScheduler(lambda epoch, lr: np.float32(0.25))
    scheduler.set_model(model)
    scheduler.on_epoch_begin(0)
    assert model.optimizer.learning_rate == 0.25


def test_reduce_lr_on_plateau_with_cooldown_and_floor():
    model = FakeModel(optimizer=VariableOptimizer(0.1))
    reduce = ReduceLROnPlateau(factor=0.5, patience=1, cooldown=1, min_lr=0.03)
    cbs = CallbackList([reduce], add_history=True, model=model)
    rates = []

    def record_rate(epoch, logs):
        rates.append(float(model.optimizer.learning_rate))

    cbs.callbacks.append(LambdaCallback(on_epoch_end=record_rate))
    run_epochs(cbs, model, [{"val_loss": v} for v in [1.0, 1.0, 1.0, 0.5, 0.6]])
    f32 = lambda x: float(np.float32(x))  # noqa: E731
    # Epoch 1: no improvement, patience 1: 0.1 -> 0.05 and a cooldown epoch. Epoch 2: the
    # cooldown ends, no improvement: 0.05 -> max(0.025, 0.03). Epoch 4: already at min_lr.
    assert rates == [f32(0.1), f32(0.05), f32(0.03), f32(0.03), f32(0.03)]
    # The logs carry the rate read before any reduction in that epoch.
    assert model.history.history["learning_rate"] == [f32(0.1), f32(0.1), f32(0.05),
                                                      f32(0.03), f32(0.03)]
    assert reduce.best == 0.5


def test_reduce_lr_on_plateau_min_delta_and_max_mode(capsys):
    model = FakeModel(optimizer=FloatOptimizer(1.0))
    reduce = ReduceLROnPlateau(monitor="val_accuracy", mode="max", factor=0.25, patience=2,
                               min_delta=0.05, verbose=1)
    run_epochs(CallbackList([reduce], model=model), model,
               [{"val_accuracy": v} for v in [0.5, 0.52, 0.53, 0.7]])
    # 0.52 and 0.53 are within min_delta of 0.5: the second of them reduces 1.0 to 0.25.
    assert model.optimizer.learning_rate == 0.25
    assert capsys.readouterr().out == (
        "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.25.\n")


def test_reduce_lr_on_plateau_rejects_factor_one_and_warns_on_missing_monitor():
    with pytest.raises(ValueError, match="does not support a factor >= 1.0. Received factor=1.0"):
        ReduceLROnPlateau(factor=1.0)
    model = FakeModel()
    reduce = ReduceLROnPlateau()
    reduce.set_model(model)
    logs = {"loss": 1.0}
    with pytest.warns(UserWarning, match="`val_loss` which is not available"):
        reduce.on_epoch_end(0, logs)
    assert logs == {"loss": 1.0, "learning_rate": 0.1}


# ------------------------------------------------------ CSVLogger, TerminateOnNaN, Lambda


def test_csv_logger_writes_sorted_columns(tmp_path):
    filename = tmp_path / "log.csv"
    model = FakeModel(metrics_names=["loss", "val_loss"])
    run_epochs(CallbackList([CSVLogger(filename)], model=model), model,
               [{"loss": 0.5, "accuracy": 0.75}, {"loss": 0.25, "accuracy": 0.875}])
    assert filename.read_bytes() == (b"epoch,accuracy,loss,val_loss\r\n"
                                     b"0,0.75,0.5,NA\r\n1,0.875,0.25,NA\r\n")


def test_csv_logger_append_and_separator(tmp_path):
    filename = tmp_path / "log.csv"
    for start in (0.5, 0.25):
        model = FakeModel()
        run_epochs(CallbackList([CSVLogger(str(filename), separator=";", append=True)],
                                model=model), model, [{"loss": start}])
    assert filename.read_bytes() == b"epoch;loss\r\n0;0.5\r\n0;0.25\r\n"


def test_csv_logger_lists_and_overwrite(tmp_path):
    filename = tmp_path / "log.csv"
    filename.write_text("old contents\n")
    model = FakeModel()
    run_epochs(CallbackList([CSVLogger(filename)], model=model), model,
               [{"loss": 1.0, "per_class": np.array([1, 2]), "note": "ok"}])
    # The list becomes the text "[1, 2]" in quotes, which csv quotes once more.
    assert filename.read_bytes() == (b'epoch,loss,note,per_class\r\n'
                                     b'0,1.0,ok,"""[1, 2]"""\r\n')


@pytest.mark.parametrize("loss", [math.nan, math.inf, -math.inf])
def test_terminate_on_nan_stops_training(loss, capsys):
    model = FakeModel()
    cbs = CallbackList([TerminateOnNaN()], model=model)
    cbs.on_train_batch_end(0, {"loss": 1.0})
    assert not model.stop_training
    cbs.on_train_batch_end(1, {"loss": loss})
    assert model.stop_training
    assert capsys.readouterr().out == "Batch 1: Invalid loss, terminating training\n"


def test_terminate_on_nan_can_raise():
    cbs = CallbackList([TerminateOnNaN(raise_error=True)], model=FakeModel())
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 4. Loss "
                                           "value: nan"):
        cbs.on_train_batch_end(4, {"loss": float("nan")})


def test_lambda_callback_calls_the_functions():
    calls = []
    callback = LambdaCallback(
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, logs["loss"])),
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_train_end=lambda logs: calls.append("train_end"),
        on_train_batch_begin=lambda batch, logs: calls.append(("batch_begin", batch)),
        on_train_batch_end=lambda batch, logs: calls.append(("batch_end", batch, logs["loss"])),
        on_test_end=lambda logs: calls.append(("test_end", logs["loss"])))
    cbs = CallbackList([callback])
    cbs.on_train_begin()
    cbs.on_epoch_begin(0)
    cbs.on_train_batch_begin(0)
    cbs.on_train_batch_end(0, {"loss": np.float32(0.5)})
    cbs.on_test_end({"loss": 0.75})
    cbs.on_epoch_end(0, {"loss": 0.5})
    cbs.on_train_end()
    cbs.on_predict_begin()  # not given: the base class's no-op
    assert calls == ["train_begin", ("epoch_begin", 0), ("batch_begin", 0),
                     ("batch_end", 0, 0.5), ("test_end", 0.75), ("epoch_end", 0, 0.5),
                     "train_end"]


def test_namespace_exports():
    assert set(callbacks.__all__) == {
        "Callback", "CallbackList", "CSVLogger", "EarlyStopping", "History", "LambdaCallback",
        "LearningRateScheduler", "ModelCheckpoint", "ProgbarLogger", "ReduceLROnPlateau",
        "TensorBoard", "TerminateOnNaN"}
    for name in callbacks.__all__:
        assert issubclass(getattr(callbacks, name), Callback)


def test_a_callback_list_knows_which_hooks_someone_listens_to():
    class BatchCounter(callbacks.Callback):
        def on_predict_batch_end(self, batch, logs=None):
            pass

    from eagerflow.keras.callbacks.callback_list import CallbackList
    hooks = ("on_predict_batch_begin", "on_predict_batch_end")
    assert not CallbackList([callbacks.History()]).listens(*hooks)
    assert CallbackList([BatchCounter()]).listens(*hooks)
    assert CallbackList([callbacks.LambdaCallback(on_predict_batch_end=print)]).listens(*hooks)
    assert not CallbackList([callbacks.LambdaCallback(on_epoch_end=print)]).listens(*hooks)
