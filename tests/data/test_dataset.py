"""tf.data.Dataset against TF's documented results, iterated eagerly."""

import threading

import numpy as np
import pytest

import eagerflow as tf
from tests.data.helpers import values

Dataset = tf.data.Dataset


# --- sources --------------------------------------------------------------------------

def test_range_is_int64_with_start_stop_step():
    assert values(Dataset.range(5)) == [0, 1, 2, 3, 4]
    assert values(Dataset.range(2, 5)) == [2, 3, 4]
    assert values(Dataset.range(1, 5, 2)) == [1, 3]
    assert values(Dataset.range(5, 1, -2)) == [5, 3]
    assert Dataset.range(3).element_spec == tf.TensorSpec([], tf.int64)
    assert next(iter(Dataset.range(3))).dtype == tf.int64


def test_from_tensor_slices_of_arrays_tuples_dicts_and_nesting():
    assert values(Dataset.from_tensor_slices([1, 2, 3])) == [1, 2, 3]
    pairs = list(Dataset.from_tensor_slices((np.arange(6).reshape(3, 2), [7, 8, 9])))
    assert isinstance(pairs[0], tuple) and isinstance(pairs[0][0], tf.Tensor)
    assert [(x.numpy().tolist(), y.numpy()) for x, y in pairs] == [
        ([0, 1], 7), ([2, 3], 8), ([4, 5], 9)]
    nested = Dataset.from_tensor_slices({"image": tf.zeros([4, 2, 2]), "meta": ([1, 2, 3, 4],)})
    first = next(iter(nested))
    assert isinstance(first, dict) and isinstance(first["meta"], tuple)
    assert first["image"].shape == (2, 2)
    assert nested.element_spec == {"image": tf.TensorSpec([2, 2], tf.float32),
                                   "meta": (tf.TensorSpec([], tf.int32),)}


def test_from_tensor_slices_rows_are_views_not_copies():
    data = np.arange(12.0).reshape(4, 3)
    row = next(iter(Dataset.from_tensor_slices(data)))
    assert np.shares_memory(row._value, data)


def test_from_tensor_slices_errors_name_the_problem():
    with pytest.raises(ValueError, match="same first dimension.*component 1 has shape"):
        Dataset.from_tensor_slices(([1, 2, 3], [1, 2]))
    with pytest.raises(ValueError, match="rank >= 1.*scalar"):
        Dataset.from_tensor_slices(3)


def test_from_tensors_is_one_element():
    dataset = Dataset.from_tensors(([1, 2, 3], "a"))
    assert len(dataset) == 1
    assert dataset.element_spec == (tf.TensorSpec([3], tf.int32), tf.TensorSpec([], tf.string))


# --- transformations -------------------------------------------------------------------

def test_batch_and_drop_remainder():
    assert values(Dataset.range(5).batch(2)) == [[0, 1], [2, 3], [4]]
    assert values(Dataset.range(5).batch(2, drop_remainder=True)) == [[0, 1], [2, 3]]
    assert Dataset.range(5).batch(2).element_spec == tf.TensorSpec([None], tf.int64)
    assert Dataset.range(5).batch(2, True).element_spec == tf.TensorSpec([2], tf.int64)
    with pytest.raises(tf.errors.InvalidArgumentError, match="greater than zero"):
        Dataset.range(5).batch(0)


def test_batch_of_different_shapes_is_an_invalid_argument():
    ragged = Dataset.range(1, 3).map(lambda n: tf.range(n))
    with pytest.raises(tf.errors.InvalidArgumentError, match="different shapes in component 0"):
        list(ragged.batch(2))


def test_dict_and_tuple_elements_through_map_and_batch():
    features = {"x": np.arange(6.0).reshape(3, 2), "y": [0, 1, 1]}
    dataset = Dataset.from_tensor_slices(features).map(
        lambda d: {"x": d["x"] * 2.0, "y": d["y"]}).batch(2)
    batch = next(iter(dataset))
    assert isinstance(batch, dict)
    assert batch["x"].numpy().tolist() == [[0.0, 2.0], [4.0, 6.0]]
    assert dataset.element_spec["x"] == tf.TensorSpec([None, 2], tf.float64)
    pairs = Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).map(lambda a, b: (b, a + b))
    assert values(pairs.batch(3)) == [([4, 5, 6], [5, 7, 9])]


def test_map_returning_a_list_gives_a_tuple():
    element = next(iter(Dataset.range(2).map(lambda x: [x, x + 1])))
    assert isinstance(element, tuple) and len(element) == 2


def test_unbatch_inverts_batch():
    assert values(Dataset.range(7).batch(3).unbatch()) == list(range(7))
    pairs = Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).batch(2).unbatch()
    assert values(pairs) == [(1, 4), (2, 5), (3, 6)]
    assert pairs.element_spec == (tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32))


def test_filter_and_its_predicate_check():
    assert values(Dataset.range(10).filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    with pytest.raises(ValueError, match="scalar boolean"):
        list(Dataset.range(3).filter(lambda x: x))


def test_shuffle_is_a_seeded_permutation_and_a_buffer_of_one_keeps_order():
    shuffled = Dataset.range(10).shuffle(3, seed=7)
    first = values(shuffled)
    assert sorted(first) == list(range(10)) and first != list(range(10))
    assert values(Dataset.range(10).shuffle(3, seed=7)) == first
    assert values(Dataset.range(10).shuffle(1)) == list(range(10))
    with pytest.raises(tf.errors.InvalidArgumentError):
        Dataset.range(3).shuffle(0)


def test_shuffle_buffer_bounds_how_far_an_element_moves_ahead():
    # An element can only be drawn once read into the buffer: output i is among inputs <= i+2.
    for seed in range(5):
        assert all(x <= i + 2 for i, x in enumerate(values(Dataset.range(30).shuffle(3, seed))))


def test_shuffle_reshuffles_each_iteration_unless_told_not_to():
    epochs = values(Dataset.range(20).shuffle(20, seed=1).repeat(2))
    assert sorted(epochs[:20]) == sorted(epochs[20:]) and epochs[:20] != epochs[20:]
    fixed = Dataset.range(20).shuffle(20, seed=1, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed)


def test_repeat_take_skip():
    assert values(Dataset.range(3).repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert values(Dataset.range(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert values(Dataset.range(0).repeat()) == []
    assert values(Dataset.range(5).take(2)) == [0, 1]
    assert values(Dataset.range(5).take(-1)) == [0, 1, 2, 3, 4]
    assert values(Dataset.range(5).skip(3)) == [3, 4]
    assert values(Dataset.range(5).skip(-1)) == []


def test_enumerate_and_zip():
    assert values(Dataset.from_tensor_slices([7, 8]).enumerate(start=5)) == [(5, 7), (6, 8)]
    a, b = Dataset.range(1, 4), Dataset.range(4, 7)
    assert values(Dataset.zip(a, b)) == [(1, 4), (2, 5), (3, 6)]
    nested = Dataset.zip((a, (b, Dataset.range(2))))
    assert values(nested) == [(1, (4, 0)), (2, (5, 1))]
    assert values(Dataset.zip({"a": a, "b": b}).take(1)) == [{"a": 1, "b": 4}]
    with pytest.raises(TypeError, match="tuple or dict of tf.data.Dataset"):
        Dataset.zip([a, b])


def test_zip_of_one_dataset_is_its_elements_and_of_none_an_error():
    assert values(Dataset.zip(Dataset.range(2))) == [0, 1]
    assert values(Dataset.zip(datasets=(Dataset.range(2),))) == [(0,), (1,)]
    with pytest.raises(TypeError, match="at least one dataset"):
        Dataset.zip()
    with pytest.raises(TypeError, match="not both"):
        Dataset.zip(Dataset.range(2), datasets=Dataset.range(2))


def test_batching_transformations_refuse_bad_components_when_built():
    with pytest.raises(ValueError, match="Dataset.unbatch: cannot unbatch an input with "
                                         "scalar components"):
        Dataset.zip((Dataset.range(3).batch(2), Dataset.range(3))).unbatch()
    windows = Dataset.range(4).window(2)
    for name, build in [("batch", lambda: windows.batch(2)), ("unbatch", windows.unbatch),
                        ("rebatch", lambda: windows.rebatch(2))]:
        with pytest.raises(TypeError, match=f"Dataset.{name} is only supported for datasets "
                                            f"that produce tensor elements"):
            build()


def test_batch_of_unknown_rank_components_keeps_the_rank_unknown():
    rows = Dataset.from_generator(lambda: [[1], [2]], tf.int64)
    assert rows.batch(2).element_spec.shape.rank is None
    assert values(rows.batch(2)) == [[[1], [2]]]


def counted(count, calls):
    """Dataset.range(count) read from a generator that records each read (thread ids)."""
    def gen():
        for i in range(count):
            calls.append(threading.get_ident())
            yield i
    return Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64))


def test_prefetch_yields_the_same_sequence_from_a_background_thread():
    threads = []
    assert values(counted(20, threads).prefetch(2)) == list(range(20))
    assert set(threads) != {threading.get_ident()}
    assert values(Dataset.range(5).prefetch(tf.data.AUTOTUNE)) == [0, 1, 2, 3, 4]
    assert values(Dataset.range(100).prefetch(1).take(3)) == [0, 1, 2]


def test_prefetch_raises_the_input_error_in_the_consumer():
    def failing():
        yield 1
        raise ValueError("bad record")

    dataset = Dataset.from_generator(failing, output_signature=tf.TensorSpec([], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="ValueError: bad record"):
        list(dataset.prefetch(2))


def test_cache_iterates_the_source_once():
    calls = []
    cached = counted(4, calls).cache()
    assert values(cached) == values(cached) == [0, 1, 2, 3]
    assert len(calls) == 4


def test_cache_is_filled_only_by_a_full_iteration():
    calls = []
    cached = counted(4, calls).cache()
    assert values(cached.take(2)) == [0, 1]
    assert values(cached) == [0, 1, 2, 3] and values(cached) == [0, 1, 2, 3]
    assert len(calls) == 6


# --- structure, cardinality, consuming --------------------------------------------------

def test_cardinality_values():
    card = lambda d: int(d.cardinality())  # noqa: E731
    assert Dataset.range(10).cardinality().dtype == tf.int64
    assert card(Dataset.range(10).batch(3)) == 4
    assert card(Dataset.range(10).batch(3, drop_remainder=True)) == 3
    assert card(Dataset.range(3).repeat(2)) == 6
    assert card(Dataset.range(3).repeat()) == tf.data.INFINITE_CARDINALITY == -1
    assert card(Dataset.range(3).repeat().take(5)) == 5
    assert card(Dataset.range(3).filter(lambda x: x > 0)) == tf.data.UNKNOWN_CARDINALITY == -2
    assert card(Dataset.range(10).skip(4).take(3)) == 3
    assert card(Dataset.zip(Dataset.range(3), Dataset.range(5).repeat())) == 3


def test_len_refuses_infinite_and_unknown_datasets():
    assert len(Dataset.range(4).map(lambda x: x)) == 4
    with pytest.raises(TypeError, match="infinite"):
        len(Dataset.range(3).repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(Dataset.range(3).filter(lambda x: x > 0))
    assert Dataset.range(0)  # truthy even when empty


def test_map_element_spec_is_traced_without_running_on_data():
    calls = []
    mapped = Dataset.range(5).batch(2).map(lambda x: calls.append(1) or tf.cast(x, tf.float32))
    assert mapped.element_spec == tf.TensorSpec([None], tf.float32)
    assert len(calls) == 1  # the trace, as in TF


def test_reduce_and_as_numpy_iterator():
    total = Dataset.range(5).reduce(tf.constant(0, tf.int64), lambda state, x: state + x)
    assert int(total) == 10
    first = next(Dataset.from_tensor_slices({"a": [1.5]}).as_numpy_iterator())
    assert isinstance(first["a"], np.floating)


def test_reduce_keeps_the_state_structure_and_dtypes():
    pair = Dataset.range(4).reduce((np.int64(0), 1.0), lambda s, x: [s[0] + x, s[1] * 2.0])
    assert isinstance(pair, tuple) and (int(pair[0]), float(pair[1])) == (6, 16.0)
    grown = Dataset.range(3).reduce(tf.zeros([0], tf.int64),
                                    lambda s, x: tf.concat([s, [x]], 0))
    assert grown.numpy().tolist() == [0, 1, 2]  # the state's shape may change
    with pytest.raises(TypeError, match=r"Dataset.reduce: the element types for the new state "
                                        r"must match the initial state. Expected tf.int64; "
                                        r"got tf.float32"):
        Dataset.range(3).reduce(np.int64(0), lambda s, x: tf.cast(s + x, tf.float32))
    with pytest.raises(TypeError, match="structure of the new state must match"):
        Dataset.range(3).reduce((np.int64(0),), lambda s, x: s[0] + x)


def test_iterating_while_tracing_is_refused():
    @tf.function
    def consume():
        return [x for x in Dataset.range(2)]

    with pytest.raises(RuntimeError, match="eager mode"):
        consume()
