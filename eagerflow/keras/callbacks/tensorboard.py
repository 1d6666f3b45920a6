"""keras.callbacks.TensorBoard: training curves, weight histograms and the model's graphs
as TensorBoard event files (written with tf.summary)."""

import contextlib
import os
import time
import warnings

from ... import summary
from ...math import equal, floormod
from ...summary import protos
from .base import Callback


class TensorBoard(Callback):
    """Writes event files for TensorBoard under `log_dir/train` and `log_dir/validation`.

    - Epoch scalars `epoch_<metric>` (`epoch_loss`, `epoch_accuracy`, ...) at step = epoch,
      with `epoch_learning_rate`; validation metrics go to the validation run without
      their `val_` prefix. After each evaluation (and validation), the validation run also
      gets `evaluation_<metric>_vs_iterations` at step = the optimizer's iterations.
    - With `update_freq` an int N (or "batch", N = 1): `batch_<metric>` every N batches
      at step = the global batch count (1 after the first batch); summaries the model
      itself writes (tf.summary calls in `call` or `train_step`) then go to the train run
      at step = the optimizer's iterations, every N iterations.
    - `histogram_freq` > 0: a histogram `<weight path>/histogram` of every weight every
      `histogram_freq` epochs; with `write_images`, weights as images too.
    - `write_graph`: the model's config (the Graphs dashboard's conceptual graph, tag
      `keras`) for Sequential and Functional models, and the compiled train function's
      traced graph after the first batch. A model compiled with `run_eagerly=True` has no
      traced graph: none is written.
    - `write_steps_per_second`: `batch_steps_per_second` and `epoch_steps_per_second`.

    There is no profiler and no embedding projector: a non-zero `profile_batch` or
    `embeddings_freq` warns and is ignored. Needs tensorboardX (`pip install tensorboardX`).
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        if self.update_freq != "epoch" and not (isinstance(self.update_freq, int)
                                                and self.update_freq > 0):
            raise ValueError(f"`update_freq` must be 'batch', 'epoch' or a positive integer; "
                             f"received update_freq={update_freq!r}.")
        if profile_batch not in (0, None, "0", (0, 0), [0, 0]):
            warnings.warn("TensorBoard: eagerflow has no profiler, so `profile_batch` is "
                          "ignored.", stacklevel=2)
        if embeddings_freq:
            warnings.warn("TensorBoard: eagerflow has no embedding projector, so "
                          "`embeddings_freq` and `embeddings_metadata` are ignored.",
                          stacklevel=2)
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        self._pushed = []
        self._should_write_train_graph = False
        self._global_train_batch = 0
        self._epoch_start = (0.0, 0)

    def set_model(self, model):
        super().set_model(model)
        self._close_writers()
        if self.write_graph and model is not None:
            self._write_model_config()
            self._should_write_train_graph = True

    # --- writers ----------------------------------------------------------------------

    def _writer(self, run):
        if run not in self._writers:
            self._writers[run] = summary.create_file_writer(os.path.join(self.log_dir, run))
        return self._writers[run]

    @contextlib.contextmanager
    def _writing(self, run):
        """The run's writer as default, recording whatever record_if holds outside."""
        with self._writer(run).as_default(), summary.record_if(True):
            yield

    def _push_writer(self, run):
        """Makes the run's writer the default for the model's own summaries (per-batch
        logging only), at the optimizer's iterations, every `update_freq` of them."""
        stack = contextlib.ExitStack()
        iterations = self._iterations()
        if self.update_freq != "epoch" and iterations is not None:
            frequency = self.update_freq
            stack.enter_context(self._writer(run).as_default(step=iterations))
            stack.enter_context(summary.record_if(
                lambda: equal(floormod(iterations, frequency), 0)))
        self._pushed.append(stack)

    def _pop_writer(self):
        if self._pushed:
            self._pushed.pop().close()

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _iterations(self):
        optimizer = getattr(self.model, "optimizer", None)
        return getattr(optimizer, "iterations", None)

    # --- hooks ----------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        iterations = self._iterations()
        self._global_train_batch = 0 if iterations is None else int(iterations)
        self._push_writer("train")

    def on_train_end(self, logs=None):
        self._pop_writer()
        self._close_writers()

    def on_test_begin(self, logs=None):
        self._push_writer("validation")

    def on_test_end(self, logs=None):
        iterations = self._iterations()
        if logs and iterations is not None:
            with self._writing("validation"):
                for name, value in logs.items():
                    summary.scalar(f"evaluation_{name}_vs_iterations", value,
                                   step=int(iterations))
        self._pop_writer()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        self._batch_start = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_write_train_graph:
            self._should_write_train_graph = False
            self._write_train_graph()
        step = self._global_train_batch
        values = {}
        if self.write_steps_per_second:
            values["steps_per_second"] = 1.0 / max(time.time() - self._batch_start, 1e-9)
        if self.update_freq != "epoch" and step % self.update_freq == 0:
            values.update(logs or {})
        if values:
            with self._writing("train"):
                for name, value in values.items():
                    summary.scalar(f"batch_{name}", value, step=step)

    def on_epoch_begin(self, epoch, logs=None):
        iterations = self._iterations()
        self._epoch_start = (time.time(), 0 if iterations is None else int(iterations))

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        validation = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        learning_rate = getattr(getattr(self.model, "optimizer", None), "learning_rate", None)
        if learning_rate is not None:
            train["learning_rate"] = float(learning_rate)
        if self.write_steps_per_second:
            started, iterations = self._epoch_start
            train["steps_per_second"] = (int(self._iterations()) - iterations) / max(
                time.time() - started, 1e-9)
        for run, values in (("train", train), ("validation", validation)):
            if values:
                with self._writing(run):
                    for name, value in values.items():
                        summary.scalar(f"epoch_{name}", value, step=epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    # --- what gets written -------------------------------------------------------------

    def _log_weights(self, epoch):
        with self._writing("train"):
            for layer in self.model.layers:
                for weight in layer.weights:
                    name = getattr(weight, "path", weight.name).replace(":", "_")
                    summary.histogram(f"{name}/histogram", weight, step=epoch)
                    if self.write_images:
                        image = _weight_image(weight.numpy())
                        if image is not None:
                            summary.image(f"{name}/image", image, step=epoch)

    def _write_model_config(self):
        from ..engine.sequential import Sequential
        if isinstance(self.model, Sequential) or self.model.inputs is not None:
            with self._writing("train"):
                summary.write("keras", self.model.to_json(), step=0,
                              metadata=protos.summary_metadata("graph_keras_model", None,
                                                               b"1"))

    def _write_train_graph(self):
        # The traced train step the trainer keeps ({kind: (step method, tf.function)}).
        entry = getattr(self.model, "_step_functions", {}).get("train")
        traces = entry[1]._traces if entry else []
        if traces:
            with self._writing("train"):
                summary.graph(traces[-1].graph)


def _weight_image(weight):
    """A weight as a batch of one-channel images [k, h, w, 1] (a bias as one row, a dense
    kernel with its longer side across, a 1-D convolution's kernels one image per input
    channel); None for shapes that make no image."""
    weight = weight.squeeze()
    if weight.ndim == 1:
        return weight.reshape(1, 1, -1, 1)
    if weight.ndim == 2:
        if weight.shape[0] > weight.shape[1]:
            weight = weight.T
        return weight[None, :, :, None]
    if weight.ndim == 3:
        return weight.transpose(2, 0, 1)[..., None]
    return None
