"""keras.callbacks.CallbackList: one object the trainer drives, forwarding to every callback.

How `fit` drives it (evaluate and predict are alike with the test/predict hooks)::

    callbacks = CallbackList(user_callbacks, add_history=True, add_progbar=verbose != 0,
                             model=model, verbose=verbose, epochs=epochs, steps=steps)
    callbacks.on_train_begin()
    for epoch in range(initial_epoch, epochs):
        callbacks.on_epoch_begin(epoch)
        for step in range(steps):
            callbacks.on_train_batch_begin(step)
            logs = ...          # metrics averaged since the epoch began
            callbacks.on_train_batch_end(step, logs)
            if model.stop_training: break
        epoch_logs = ...        # sorted metric names, then `val_*` from
                                # evaluate(..., callbacks=callbacks)
        callbacks.on_epoch_end(epoch, epoch_logs)
        if model.stop_training: break
    callbacks.on_train_end(epoch_logs)
    return callbacks.history  # also model.history, which set_model set

Validation inside fit passes this same list to evaluate, so the progress bar
stays silent for it. Train and test batch logs reach the callbacks with sorted
keys and float values, as Keras 3 hands them over; epoch logs go through as the
same dict object, so what one callback adds (`learning_rate`) the later ones
(History, the progress bar) see.
"""

from ...util import nest
from .base import Callback
from .history import History
from .progbar_logger import ProgbarLogger


def _pythonify_logs(logs):
    """Logs with sorted keys, nested dicts flattened and values as Python floats."""
    result = {}
    for key, value in sorted(logs.items()):
        if isinstance(value, dict):
            result.update(_pythonify_logs(value))
            continue
        try:
            value = float(value)
        except (TypeError, ValueError):
            pass  # non-scalar values (arrays, strings) go through unchanged
        result[key] = value
    return result


class CallbackList(Callback):
    """Container calling every hook on each of its callbacks in order.

    Args:
        callbacks: a `Callback` or a (nested) list of them.
        add_history: append a `History` unless the list holds one.
        add_progbar: append a `ProgbarLogger` unless the list holds one.
        model: the model the callbacks see (it also gets `model.history`).
        **params: passed to each callback's `set_params` (`verbose`, `epochs`, `steps`).
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        self.callbacks = nest.flatten(callbacks) if callbacks else []
        self._history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        self._progbar = next((cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)),
                             None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self.set_model(model)
        self.set_params(params)

    @property
    def history(self):
        """The list's `History` (None without one); `fit` returns it."""
        return self._history

    def set_params(self, params):
        self.params = params
        if params:
            for callback in self.callbacks:
                callback.set_params(params)

    def set_model(self, model):
        if model is None:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for callback in self.callbacks:
            callback.set_model(model)

    def listens(self, *hooks):
        """Whether some callback overrides one of these hooks, in its class or on itself
        (a LambdaCallback's), so calling it can matter."""
        return any(hook in vars(callback) or
                   getattr(type(callback), hook, None) is not getattr(Callback, hook)
                   for callback in self.callbacks for hook in hooks)

    def _call(self, hook, *args):
        """Calls `hook(*args, logs)` on every callback (epoch and run hooks)."""
        *args, logs = args
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            getattr(callback, hook)(*args, logs)

    def _call_batch(self, hook, batch, logs):
        """Calls a batch hook on every callback, `logs` by keyword as Keras passes it."""
        logs = {} if logs is None else logs
        for callback in self.callbacks:
            getattr(callback, hook)(batch, logs=logs)

    def on_batch_begin(self, batch, logs=None):
        self._call_batch("on_batch_begin", batch, logs)

    def on_batch_end(self, batch, logs=None):
        self._call_batch("on_batch_end", batch, _pythonify_logs(logs or {}))

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch("on_train_batch_end", batch, _pythonify_logs(logs or {}))

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch("on_test_batch_end", batch, _pythonify_logs(logs or {}))

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call_batch("on_predict_batch_end", batch, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)
