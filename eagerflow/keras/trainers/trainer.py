"""Trainer: compile / fit / evaluate / predict, mixed into Model.

One step is `train_step(data)`: forward under a GradientTape, loss, gradients,
optimizer update, metric update; it returns the running metric values.
fit/evaluate/predict only loop over batches and drive the callbacks.
"""

import numpy as np

from ...autodiff.tape import GradientTape
from ...framework.convert import convert_to_tensor
from ...framework.tensor import Tensor
from ...graph.tracing import Function, functions_run_eagerly
from ...util import nest
from . import data_adapter
from .compile_utils import CompiledLoss, CompiledMetrics, flat_outputs, output_names


# Rows predict() runs per model call on in-memory data: big enough to amortize the per-call
# cost, small enough to keep a convolutional network's activations modest.
_PREDICT_ROWS_PER_CALL = 1024


class Trainer:
    """The training API of keras.Model."""

    def __init__(self):
        self.optimizer = None
        self.compiled = False
        self.stop_training = False
        self.history = None
        self._compiled_loss = None
        self._compiled_metrics = None
        self._loss_tracker = None
        self._output_loss_trackers = []
        self._output_names = None
        self._compile_config = None
        self._step_functions = {}
        self._array_traces = {}  # (step function, batch signature) -> its trace
        self._in_fit = False
        self._trained_variables = None  # found on fit's first step, kept until it ends

    # --- compile ------------------------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configures the model for training."""
        from .. import metrics as metrics_module
        from .. import optimizers
        self.optimizer = optimizers.get(optimizer)
        self._compile_config = {"optimizer": optimizers.serialize(self.optimizer),
                                "loss": loss, "loss_weights": loss_weights,
                                "metrics": metrics}
        self._compiled_loss = None if loss is None else CompiledLoss(loss, loss_weights)
        self._compiled_metrics = CompiledMetrics(metrics)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._output_loss_trackers = []
        self._output_names = None
        self.run_eagerly = run_eagerly
        self._step_functions = {}  # traced steps belong to this compile's losses and metrics
        self._array_traces = {}
        self.steps_per_execution = steps_per_execution
        self.compiled = True
        self.stop_training = False

    def _require_compiled(self, method):
        if not self.compiled:
            raise ValueError(f"You must call `compile()` before using the model. (Model "
                             f"'{self.name}' was asked to `{method}()`.)")

    def _build_compiled(self, y, y_pred):
        """Matches compiled losses and metrics to the outputs on the first batch."""
        from .. import metrics as metrics_module
        names = output_names(self, y_pred)
        self._output_names = names
        flat_pred = flat_outputs(y_pred, names, "y_pred")
        flat_true = flat_outputs(y, names, "y") if y is not None else [None] * len(names)
        if self._compiled_loss is not None:
            self._compiled_loss.build(names, flat_true, flat_pred)
            if len(self._compiled_loss.entries) > 1:
                self._output_loss_trackers = [
                    metrics_module.Mean(name=f"{name}_loss")
                    for _, name, _, _ in self._compiled_loss.entries]
        self._compiled_metrics.build(names, flat_true, flat_pred)

    @property
    def metrics(self):
        """The loss tracker(s) and compiled metrics, in the order logs report them."""
        found = [] if self._loss_tracker is None else [self._loss_tracker]
        found += self._output_loss_trackers
        if self._compiled_metrics is not None:
            found += self._compiled_metrics.metrics
        return found

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    # --- one step ----------------------------------------------------------------------

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss of the outputs plus the model's own losses (regularizers)."""
        total = None
        if self._compiled_loss is not None:
            names = self._output_names
            flat_weights = sample_weight if not isinstance(sample_weight, (list, dict)) else \
                flat_outputs(sample_weight, names, "sample_weight")
            total, parts = self._compiled_loss(flat_outputs(y, names, "y"),
                                               flat_outputs(y_pred, names, "y_pred"),
                                               flat_weights)
            for tracker, (_, value) in zip(self._output_loss_trackers, parts):
                tracker.update_state(value, sample_weight=_batch_size(x))
        for extra in self.losses:
            total = extra if total is None else total + extra
        if total is None:
            raise ValueError(f"Model '{self.name}' has no loss to optimize: pass `loss=` to "
                             f"compile() or add losses with add_loss().")
        return total

    def _forward(self, x, y, training):
        y_pred = self(x, training=training)
        if self._output_names is None:
            self._build_compiled(y, y_pred)
        return y_pred

    def train_step(self, data):
        x, y, sample_weight = data_adapter.unpack(data)
        with GradientTape() as tape:
            y_pred = self._forward(x, y, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        variables = self._trained_variables or self.trainable_weights
        if self._in_fit:
            self._trained_variables = variables
        grads = tape.gradient(loss, variables)
        self.optimizer.apply_gradients(zip(grads, variables))
        return self.compute_metrics(x, y, y_pred, sample_weight, loss)

    def test_step(self, data):
        x, y, sample_weight = data_adapter.unpack(data)
        y_pred = self._forward(x, y, training=False)
        loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        return self.compute_metrics(x, y, y_pred, sample_weight, loss)

    def predict_step(self, data):
        x, _, _ = data_adapter.unpack(data)
        return self(x, training=False)

    def compute_metrics(self, x, y, y_pred, sample_weight, loss=None):
        """Updates the metrics with one batch and returns all their current values."""
        if loss is not None:
            self._loss_tracker.update_state(loss, sample_weight=_batch_size(x))
        if y is not None:
            names = self._output_names
            flat_weights = sample_weight if not isinstance(sample_weight, (list, dict)) else \
                flat_outputs(sample_weight, names, "sample_weight")
            self._compiled_metrics.update_state(flat_outputs(y, names, "y"),
                                                flat_outputs(y_pred, names, "y_pred"),
                                                flat_weights)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """{metric name: result tensor}, sorted by name as Keras 3 logs them."""
        return {m.name: m.result() for m in sorted(self.metrics, key=lambda m: m.name)}

    # --- compiled steps --------------------------------------------------------------

    def _step_function(self, kind):
        """train_step / test_step / predict_step, traced into a graph unless the model was
        compiled with run_eagerly=True (the results are identical either way)."""
        step = getattr(self, f"{kind}_step")
        if getattr(self, "run_eagerly", False):
            return step
        cache = self._step_functions
        if kind not in cache or cache[kind][0] is not step.__func__:
            cache[kind] = (step.__func__, Function(step, name=f"{kind}_function"))
        return cache[kind][1]

    # --- loops ---------------------------------------------------------------------------

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Trains for `epochs` epochs; returns the History."""
        from ..callbacks import CallbackList
        self._require_compiled("fit")
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapter.split_validation(
                x, y, sample_weight, validation_split)
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError("You cannot pass both `class_weight` and `sample_weight`.")
            sample_weight = data_adapter.class_weight_to_sample_weight(y, class_weight)
        data = data_adapter.make(x, y, sample_weight, batch_size, shuffle, steps_per_epoch)
        verbose = 1 if verbose == "auto" else verbose
        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                     model=self, verbose=verbose, epochs=epochs,
                                     steps=data.steps)
        self.stop_training = False
        self._in_fit, self._trained_variables = True, None
        try:
            epoch_logs = self._fit_epochs(data, callback_list, epochs, initial_epoch,
                                          validation_data, validation_batch_size or batch_size,
                                          validation_steps, validation_freq)
        finally:
            self._in_fit, self._trained_variables = False, None
        callback_list.on_train_end(epoch_logs)
        self.history = callback_list.history
        return self.history

    def _fit_epochs(self, data, callback_list, epochs, initial_epoch, validation_data,
                    validation_batch_size, validation_steps, validation_freq):
        train_function = self._step_function("train")
        per_batch = callback_list.listens("on_train_batch_begin", "on_train_batch_end",
                                          "on_batch_begin", "on_batch_end")
        callback_list.on_train_begin()
        epoch_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callback_list.on_epoch_begin(epoch)
            for step, batch in enumerate(data.batches()):
                if per_batch:
                    callback_list.on_train_batch_begin(step)
                    callback_list.on_train_batch_end(
                        step, _pythonify(self._run_step(train_function, batch)))
                else:  # nobody listens: no per-step logs to make
                    self._run_step(train_function, batch)
                if self.stop_training:
                    break
            epoch_logs = _pythonify(self.get_metrics_result())
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                val_x, val_y, val_weight = _validation_tuple(validation_data)
                val = self.evaluate(val_x, val_y, sample_weight=val_weight,
                                    batch_size=validation_batch_size, steps=validation_steps,
                                    callbacks=callback_list, verbose=0, return_dict=True)
                epoch_logs.update({f"val_{k}": v for k, v in val.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        return epoch_logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
        """Loss and metrics on the data: a scalar, a list, or a dict with return_dict."""
        from ..callbacks import CallbackList
        self._require_compiled("evaluate")
        data = data_adapter.make(x, y, sample_weight, batch_size, False, steps)
        verbose = 1 if verbose == "auto" else verbose
        callback_list = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
            steps=data.steps)
        self.reset_metrics()
        test_function = self._step_function("test")
        callback_list.on_test_begin()
        per_batch = callback_list.listens("on_test_batch_begin", "on_test_batch_end")
        for step, batch in enumerate(data.batches()):
            if per_batch:
                callback_list.on_test_batch_begin(step)
                callback_list.on_test_batch_end(
                    step, _pythonify(self._run_step(test_function, batch)))
            else:
                self._run_step(test_function, batch)
        logs = _pythonify(self.get_metrics_result())
        callback_list.on_test_end(logs)
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names if name in logs]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs on `x` as NumPy arrays.

        In-memory data runs several batches per call (the outputs do not depend on how
        the data is batched at inference), while callbacks and the progress bar still
        see every batch of `batch_size`."""
        data = data_adapter.make(x, None, None, batch_size, False, steps)
        verbose = 1 if verbose == "auto" else verbose
        callback_list = self._predict_callbacks(callbacks, verbose, data.steps)
        group = 1
        if isinstance(data, data_adapter.ArrayData) and \
                type(self).predict_step is Trainer.predict_step:
            group = max(1, _PREDICT_ROWS_PER_CALL // data.batch_size)
        predict_function = self._step_function("predict")
        per_batch = callback_list.listens("on_predict_batch_begin", "on_predict_batch_end")
        callback_list.on_predict_begin()
        outputs = []
        for first, count, batch in data.grouped_batches(group):
            result = _numpy_outputs(self._run_step(predict_function, batch))
            outputs.append(result)
            for i, step in enumerate(range(first, first + count) if per_batch else ()):
                rows = slice(i * data.batch_size, (i + 1) * data.batch_size) if count > 1 \
                    else slice(None)
                callback_list.on_predict_batch_begin(step)
                callback_list.on_predict_batch_end(
                    step, {"outputs": nest.map_structure(lambda a: a[rows], result)})
        callback_list.on_predict_end()
        if not outputs:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). "
                             "Please use `Model.compile(..., run_eagerly=True)`, or make sure "
                             "the input data holds at least one sample.")
        if len(outputs) == 1:
            return outputs[0]  # the arrays are the step's fresh results: nothing to copy
        return nest.map_structure(lambda *parts: np.concatenate(parts), *outputs)

    def _predict_callbacks(self, callbacks, verbose, steps):
        if callbacks is None and verbose == 0:
            return _NO_CALLBACKS
        from ..callbacks import CallbackList
        return CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                            epochs=1, steps=steps)

    def _run_step(self, function, batch):
        """function(batch). A batch of in-memory arrays (x, y, sample_weight; y and the
        weights may be None) finds its trace by the arrays' shapes and dtypes alone,
        without the generic walk over the argument structure."""
        x, y, sample_weight = batch
        signature = (_array_signature(x), _array_signature(y), _array_signature(sample_weight))
        if not signature[0] or False in signature[1:] or \
                not isinstance(function, Function) or functions_run_eagerly():
            return function(batch)
        key = (function,) + signature
        trace = self._array_traces.get(key)
        if trace is None:
            trace = self._array_traces[key] = function.get_concrete_function(batch)
        if y is None and sample_weight is None:
            return trace._call_flat([x])
        return trace._call_flat([a for a in batch if a is not None])

    # --- single batches ----------------------------------------------------------------

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        self._require_compiled("train_on_batch")
        if class_weight is not None:
            sample_weight = data_adapter.class_weight_to_sample_weight(y, class_weight)
        self.reset_metrics()
        return self._batch_result(_pythonify(self.train_step((x, y, sample_weight))),
                                  return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._require_compiled("test_on_batch")
        self.reset_metrics()
        return self._batch_result(_pythonify(self.test_step((x, y, sample_weight))),
                                  return_dict)

    def predict_on_batch(self, x):
        return _numpy_outputs(self.predict_step((x, None, None)))

    def _batch_result(self, logs, return_dict):
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names]
        return values[0] if len(values) == 1 else values


def _validation_tuple(validation_data):
    """(x, y, sample_weight) from validation_data: (x, y), (x, y, sw) or a generator."""
    if isinstance(validation_data, tuple):
        if len(validation_data) not in (2, 3):
            raise ValueError(f"`validation_data` must be a tuple (x_val, y_val) or (x_val, "
                             f"y_val, val_sample_weight); received a tuple of "
                             f"{len(validation_data)} elements.")
        return tuple(validation_data) + (None,) * (3 - len(validation_data))
    return validation_data, None, None


def _pythonify(logs):
    return {name: float(value) for name, value in logs.items()}


def _batch_size(x):
    """Samples in a batch (losses average over samples, not batches, as in Keras)."""
    first = nest.flatten(x)[0]
    return int(first.shape[0]) if getattr(first, "shape", ()) else 1


def _array_signature(value):
    """(shape, dtype) of a NumPy array, None for None, False for anything else."""
    if value is None:
        return None
    return (value.shape, value.dtype) if value.__class__ is np.ndarray else False


class _NoCallbacks:
    """What predict drives when it has no callbacks and no progress bar: nothing."""

    @staticmethod
    def listens(*hooks):
        return False

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass


_NO_CALLBACKS = _NoCallbacks()


def _numpy_outputs(outputs):
    """A step's outputs as NumPy arrays, in their structure."""
    if outputs.__class__ is Tensor:
        return _to_numpy(outputs)
    return nest.map_structure(_to_numpy, outputs)


def _to_numpy(value):
    return np.asarray((value if value.__class__ is Tensor else convert_to_tensor(value))._value)
