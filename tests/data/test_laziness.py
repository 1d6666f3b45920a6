"""A pipeline holds only its buffers: nothing is read before iteration, and each
transformation reads from its input only as far as its buffer needs."""

import itertools
import time

import eagerflow as tf
from tests.data.helpers import values, window_values

Dataset = tf.data.Dataset


def endless(reads):
    """0, 1, 2, ... without end, from a generator that records every value it yields."""
    def gen():
        for i in itertools.count():
            reads.append(i)
            yield i
    return Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64))


def test_building_a_pipeline_reads_nothing():
    reads = []
    pipeline = endless(reads).shuffle(4).batch(3).unbatch().window(2).prefetch(2)
    assert pipeline.element_spec == tf.data.DatasetSpec(tf.TensorSpec([], tf.int64))
    assert reads == []


def test_an_endless_generator_through_shuffle_and_take():
    reads = []
    drawn = values(endless(reads).shuffle(10, seed=1).take(5))
    assert len(set(drawn)) == 5 and max(drawn) < 15
    assert len(reads) == 15  # the buffer of 10, refilled once for each element drawn


def test_batch_unbatch_skip_and_take_read_only_what_they_return():
    reads = []
    assert values(endless(reads).batch(3).unbatch().skip(2).take(3)) == [2, 3, 4]
    assert len(reads) == 6  # two batches of three


def test_windows_and_interleave_of_an_endless_input():
    reads = []
    assert window_values(endless(reads).window(2, shift=5).take(2)) == [[0, 1], [5, 6]]
    assert len(reads) == 7  # the skipped 2, 3, 4 are read and dropped, not kept
    reads.clear()
    pairs = endless(reads).interleave(lambda x: Dataset.from_tensors(x).repeat(2),
                                      cycle_length=2)
    assert values(pairs.take(4)) == [0, 1, 0, 1] and len(reads) == 2


def test_prefetch_fills_its_buffer_ahead_in_the_background_and_no_further():
    reads = []
    elements = iter(endless(reads).prefetch(3))
    assert int(next(elements)) == 0
    deadline = time.monotonic() + 5
    while len(reads) < 4:  # the producer runs ahead while the consumer does nothing
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.1)
    assert len(reads) <= 5  # the one consumed, three buffered, one waiting for room
    assert [int(next(elements)) for _ in range(3)] == [1, 2, 3]
    elements.close()


def test_cache_of_an_endless_input_reads_only_what_is_taken():
    reads = []
    cached = endless(reads).cache()
    assert values(cached.take(3)) == [0, 1, 2] and len(reads) == 3
