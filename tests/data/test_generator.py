"""Dataset.from_generator against TF's documented behaviour."""

import itertools

import numpy as np
import pytest

import eagerflow as tf
from tests.data.helpers import values

Dataset = tf.data.Dataset


def counting():
    for i in itertools.count(1):
        yield (i, [1] * i)


def test_documented_example_with_output_types_and_shapes():
    dataset = Dataset.from_generator(counting, (tf.int64, tf.int64),
                                     (tf.TensorShape([]), tf.TensorShape([None])))
    assert values(dataset.take(3)) == [(1, [1]), (2, [1, 1]), (3, [1, 1, 1])]
    assert dataset.element_spec == (tf.TensorSpec([], tf.int64), tf.TensorSpec([None], tf.int64))


def test_output_signature_gives_the_element_spec_and_unknown_cardinality():
    signature = (tf.TensorSpec([], tf.int32), tf.TensorSpec([None], tf.int32))
    dataset = Dataset.from_generator(counting, output_signature=signature)
    first = next(iter(dataset))
    assert first[0].dtype == tf.int32 and first[1].shape == (1,)
    assert dataset.element_spec == signature
    assert int(dataset.cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_output_types_alone_leave_the_rank_unknown():
    dataset = Dataset.from_generator(lambda: iter([[1, 2, 3], [1, 2], [1, 2, 3, 4]]), tf.int64)
    assert dataset.element_spec.shape.rank is None
    assert values(dataset.unbatch()) == [1, 2, 3, 1, 2, 1, 2, 3, 4]  # TF's unbatch example


def test_generator_is_called_anew_for_every_iteration():
    calls = []

    def gen():
        calls.append(1)
        yield from range(3)

    dataset = Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int32))
    assert calls == []  # nothing runs until iterated
    assert values(dataset.repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert values(dataset) == [0, 1, 2] and len(calls) == 3


def test_args_reach_the_generator_as_numpy_values():
    seen = []

    def gen(count, label):
        seen.append((type(count), label))
        yield from range(count)

    dataset = Dataset.from_generator(gen, tf.int64, args=(tf.constant(3), "a"))
    assert values(dataset) == [0, 1, 2]
    assert seen == [(np.int32, b"a")]


def test_tuple_and_dict_structures_of_the_map_examples():
    pairs = Dataset.from_generator(lambda: [(1, "foo"), (2, "bar"), (3, "baz")],
                                   (tf.int32, tf.string))
    assert values(pairs) == [(1, b"foo"), (2, b"bar"), (3, b"baz")]
    records = Dataset.from_generator(lambda: [{"a": 1, "b": "foo"}, {"a": 2, "b": "bar"}],
                                     {"a": tf.int32, "b": tf.string})
    assert values(records) == [{"a": 1, "b": b"foo"}, {"a": 2, "b": b"bar"}]


def test_a_yielded_shape_outside_the_signature_names_both():
    dataset = Dataset.from_generator(lambda: iter([[1, 2], [1, 2, 3]]),
                                     output_signature=tf.TensorSpec([2], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"yielded an element of TensorSpec\(shape=\(3,\).*where an element "
                             r"of TensorSpec\(shape=\(2,\)"):
        list(dataset)


def test_a_yielded_structure_or_value_that_does_not_fit_is_an_invalid_argument():
    signature = (tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="did not match the expected "
                                                             "structure.*yielded element was 7"):
        list(Dataset.from_generator(lambda: iter([7]), output_signature=signature))
    with pytest.raises(tf.errors.InvalidArgumentError, match="yielded element was 1.5"):
        list(Dataset.from_generator(lambda: iter([1.5]),
                                    output_signature=tf.TensorSpec([], tf.int32)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected type was int64"):
        list(Dataset.from_generator(lambda: iter(["x"]), tf.int64))


def test_output_types_form_casts_like_numpy():
    assert values(Dataset.from_generator(lambda: iter([1.5, 2]), tf.int64)) == [1, 2]


def test_argument_errors_are_type_errors():
    with pytest.raises(TypeError, match="can not be used together"):
        Dataset.from_generator(counting, tf.int32, output_signature=tf.TensorSpec([]))
    with pytest.raises(TypeError, match="either the `output_signature` argument or"):
        Dataset.from_generator(counting)
    with pytest.raises(TypeError, match="must contain tf.TensorSpec"):
        Dataset.from_generator(counting, output_signature=tf.int32)
    with pytest.raises(TypeError, match="must be a Python callable"):
        Dataset.from_generator([1, 2], tf.int32)


def test_an_exception_in_the_generator_comes_out_as_tf_reports_it():
    def failing(kind):
        yield 1
        raise {b"value": ValueError, b"zero": ZeroDivisionError}[kind]("bad record")

    spec = tf.TensorSpec([], tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="ValueError: bad record"):
        list(Dataset.from_generator(failing, output_signature=spec, args=("value",)))
    with pytest.raises(tf.errors.UnknownError, match="ZeroDivisionError: bad record"):
        list(Dataset.from_generator(failing, output_signature=spec, args=("zero",)))
