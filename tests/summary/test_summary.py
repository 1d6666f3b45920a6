"""tf.summary: event files written with tensorboardX, read back with tensorboard."""

import io
import sys

import numpy as np
import pytest
from PIL import Image
from tensorboard.compat.proto import summary_pb2

import eagerflow as tf
from eagerflow.summary.writer import state
from tests.summary.reading import plugin_of, scalars, tensors


@pytest.fixture(autouse=True)
def fresh_summary_state():
    """Tests that call set_as_default or set_step leave no default behind."""
    yield
    state.writer = state.step = None


def test_scalars_in_a_custom_loop_read_back_with_their_steps(tmp_path):
    writer = tf.summary.create_file_writer(tmp_path)
    with writer.as_default():
        for step in range(3):
            assert bool(tf.summary.scalar("loss", 1.0 / (step + 1), step=step))
        tf.summary.scalar("accuracy", tf.constant(0.75), step=2, description="share right")
    assert scalars(tmp_path) == {".": {"loss": [(0, 1.0), (1, 0.5), (2, pytest.approx(1 / 3))],
                                       "accuracy": [(2, 0.75)]}}
    assert plugin_of(tmp_path, "loss") == "scalars"
    [event_file] = tmp_path.iterdir()
    assert event_file.name.startswith("events.out.tfevents.") and event_file.suffix == ".v2"


def test_without_a_default_writer_nothing_is_written_and_ops_return_false(tmp_path):
    tf.summary.create_file_writer(tmp_path)
    result = tf.summary.scalar("loss", 1.0, step=0)
    assert result.dtype == tf.bool and not bool(result)
    assert not bool(tf.summary.should_record_summaries())
    with tf.summary.create_noop_writer().as_default():
        assert not bool(tf.summary.scalar("loss", 1.0, step=0))
    assert scalars(tmp_path) == {}


def test_the_step_comes_from_the_call_as_default_or_the_global_default(tmp_path):
    writer = tf.summary.create_file_writer(tmp_path)
    with writer.as_default():
        with pytest.raises(ValueError, match="No step set"):
            tf.summary.scalar("a", 1.0)
    tf.summary.experimental.set_step(tf.Variable(7, dtype=tf.int64))
    assert int(tf.summary.experimental.get_step()) == 7
    with writer.as_default():
        tf.summary.scalar("a", 1.0)
    with writer.as_default(step=4):
        tf.summary.scalar("a", 2.0)
        tf.summary.scalar("a", 3.0, step=5)
    assert int(tf.summary.experimental.get_step()) == 7  # as_default restored it
    writer.set_as_default(step=9)
    tf.summary.create_noop_writer().set_as_default()  # a no-op: the writer stays default
    tf.summary.scalar("a", 4.0)
    writer.close()
    assert scalars(tmp_path)["."]["a"] == [(7, 1.0), (4, 2.0), (5, 3.0), (9, 4.0)]
    with pytest.raises(RuntimeError, match="closed"):
        writer.set_as_default()


def test_tags_take_the_enclosing_name_scope(tmp_path):
    with tf.summary.create_file_writer(tmp_path).as_default(step=0):
        with tf.name_scope("train"):
            with tf.name_scope("head"):
                tf.summary.scalar("loss", 1.0)
    assert list(scalars(tmp_path)["."]) == ["train/head/loss"]


def test_record_if_takes_bools_tensors_and_callables(tmp_path):
    with tf.summary.create_file_writer(tmp_path).as_default():
        with tf.summary.record_if(False):
            assert not bool(tf.summary.should_record_summaries())
            assert not bool(tf.summary.scalar("x", 1.0, step=0))
        for step in range(4):
            with tf.summary.record_if(lambda: tf.equal(step % 2, 0)):
                tf.summary.scalar("x", float(step), step=step)
        with tf.summary.record_if(tf.constant(True)):
            assert bool(tf.summary.should_record_summaries())
            tf.summary.scalar("x", 9.0, step=9)
    assert scalars(tmp_path)["."]["x"] == [(0, 0.0), (2, 2.0), (9, 9.0)]


def test_scalar_needs_a_scalar(tmp_path):
    with tf.summary.create_file_writer(tmp_path).as_default(step=0):
        with pytest.raises(ValueError, match=r"needs a scalar; got shape \[2\]"):
            tf.summary.scalar("x", [1.0, 2.0])


def test_histograms_are_tf2_buckets(tmp_path):
    data = np.array([0.0, 1.0, 1.0, 2.5, 10.0])
    with tf.summary.create_file_writer(tmp_path).as_default(step=3):
        tf.summary.histogram("w", data)
        tf.summary.histogram("five", data, buckets=5)
        tf.summary.histogram("same", tf.fill([4], 2.0), buckets=3)
        tf.summary.histogram("empty", tf.zeros([0]))
    [(step, buckets)] = tensors(tmp_path, "w")
    assert step == 3 and buckets.shape == (30, 3) and buckets.dtype == np.float64
    assert buckets[0, 0] == 0.0 and buckets[-1, 1] == 10.0 and buckets[:, 2].sum() == 5
    np.testing.assert_allclose(buckets[1:, 0], buckets[:-1, 1])
    [(_, five)] = tensors(tmp_path, "five")
    np.testing.assert_allclose(five, [[0, 2, 3], [2, 4, 1], [4, 6, 0], [6, 8, 0], [8, 10, 1]])
    np.testing.assert_array_equal(tensors(tmp_path, "same")[0][1],
                                  [[2, 2, 0], [2, 2, 0], [2, 2, 4]])
    np.testing.assert_array_equal(tensors(tmp_path, "empty")[0][1], np.zeros((30, 3)))
    assert plugin_of(tmp_path, "w") == "histograms"


def test_text_and_images(tmp_path):
    pixels = np.linspace(0.0, 1.0, 2 * 3 * 4 * 3).reshape(2, 3, 4, 3)
    grey = np.arange(24, dtype=np.uint8).reshape(4, 3, 2, 1) * 10
    with tf.summary.create_file_writer(tmp_path).as_default(step=1):
        tf.summary.text("notes", "**bold** move")
        tf.summary.text("table", [["a", "b"], ["c", "d"]])
        tf.summary.image("rgb", pixels, max_outputs=1)
        tf.summary.image("grey", grey)
        with pytest.raises(ValueError, match="1 to 4 channels"):
            tf.summary.image("bad", np.zeros((2, 2, 5)))
        with pytest.raises(TypeError, match="needs string data"):
            tf.summary.text("bad", 3)
    assert tensors(tmp_path, "notes")[0][1] == b"**bold** move"
    assert tensors(tmp_path, "table")[0][1].tolist() == [[b"a", b"b"], [b"c", b"d"]]
    assert plugin_of(tmp_path, "notes") == "text" and plugin_of(tmp_path, "rgb") == "images"
    rgb = tensors(tmp_path, "rgb")[0][1]
    assert rgb[:2].tolist() == [b"4", b"3"] and len(rgb) == 3  # width, height, one PNG
    expected = np.clip(pixels[0] * 255.5, 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(rgb[2]))), expected)
    pngs = tensors(tmp_path, "grey")[0][1][2:]
    decoded = [np.asarray(Image.open(io.BytesIO(png))) for png in pngs]
    np.testing.assert_array_equal(np.stack(decoded), grey[:3, :, :, 0])


def test_write_takes_any_tensor_and_metadata(tmp_path):
    with tf.summary.create_file_writer(tmp_path).as_default(step=2):
        tf.summary.write("raw", lambda: tf.constant([[1, 2]], dtype=tf.int64))
        metadata = summary_pb2.SummaryMetadata(
            plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="custom"))
        tf.summary.write("blob", b"\x08\x00", metadata=metadata)  # tensorboard's protobuf
        tf.summary.write("bytes", 1.5, metadata=metadata.SerializeToString())
    [(step, value)] = tensors(tmp_path, "raw")
    assert step == 2 and value.dtype == np.int64 and value.tolist() == [[1, 2]]
    assert tensors(tmp_path, "blob")[0][1].item() == b"\x08\x00"  # serialized protos stay whole
    assert plugin_of(tmp_path, "blob") == plugin_of(tmp_path, "bytes") == "custom"


def test_summaries_in_a_function_write_each_time_it_runs(tmp_path):
    writer = tf.summary.create_file_writer(tmp_path)
    step = tf.Variable(0, dtype=tf.int64)

    @tf.function
    def train(x):
        with tf.summary.record_if(lambda: tf.equal(tf.math.floormod(step, 2), 0)):
            written = tf.summary.scalar("total", tf.reduce_sum(x))
        tf.summary.histogram("x", x, step=5)
        step.assign_add(1)
        return written

    tf.summary.experimental.set_step(step)
    with writer.as_default():
        results = [bool(train(tf.constant([1.0, float(i)]))) for i in range(4)]
    assert train.experimental_get_tracing_count() == 1
    assert results == [True, False, True, False]
    assert scalars(tmp_path)["."]["total"] == [(0, 1.0), (2, 3.0)]
    assert [s for s, _ in tensors(tmp_path, "x")] == [5, 5, 5, 5]


def test_a_function_traced_without_a_writer_writes_nothing(tmp_path):
    @tf.function
    def f(x):
        return tf.summary.scalar("x", x, step=0)

    assert not bool(f(tf.constant(1.0)))
    with tf.summary.create_file_writer(tmp_path).as_default():
        assert not bool(f(tf.constant(2.0)))  # the trace holds no summary node
    assert scalars(tmp_path) == {}


def test_flush_inside_a_function_and_max_queue(tmp_path):
    writer = tf.summary.create_file_writer(tmp_path, max_queue=1000, flush_millis=10 ** 9)

    @tf.function
    def f(x):
        tf.summary.scalar("x", x, step=1)
        tf.summary.flush()

    writer.set_as_default()
    f(tf.constant(3.0))
    assert scalars(tmp_path)["."]["x"] == [(1, 3.0)]  # flushed by the graph, not by a close


def test_missing_tensorboardx_names_the_package(tmp_path, monkeypatch):
    for name in [n for n in sys.modules if n.split(".")[0] == "tensorboardX"]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "tensorboardX", None)
    with pytest.raises(ImportError, match=r"tensorboardX.*pip install tensorboardX"):
        tf.summary.create_file_writer(tmp_path)
