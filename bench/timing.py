"""Timing helpers shared by the benchmarks."""

import statistics
import time
import timeit

EPOCHS = 3  # epoch 1 warms up (tracing, allocator); the row is the median of epochs 2-3


def per_call_us(fn, repeat=7):
    """Best-of-`repeat` microseconds per call; each repeat runs for about 0.2 s."""
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat, number)) / number * 1e6


def median_seconds(fn, repeat=3):
    """Median wall time of `repeat` calls to `fn` after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def epoch_seconds(run_epoch):
    """Median time of epochs 2..EPOCHS of `run_epoch()`."""
    times = []
    for _ in range(EPOCHS):
        start = time.perf_counter()
        run_epoch()
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def keras_epoch_seconds(tf, model, x, y, batch_size):
    """Median time of epochs 2..EPOCHS of one `model.fit`, taken by a callback."""
    times = []

    class Clock(tf.keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    model.fit(x, y, batch_size=batch_size, epochs=EPOCHS, verbose=0, callbacks=[Clock()])
    return statistics.median(times[1:])
