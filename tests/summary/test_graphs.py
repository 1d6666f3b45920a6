"""Graphs as GraphDef protobufs: the conversion, tf.summary.graph and trace_on/export."""

import numpy as np
import pytest
from tensorboard.compat.proto import config_pb2, graph_pb2
from tensorboard.util import tensor_util

import eagerflow as tf
from eagerflow.summary.graph_def import to_graph_def
from eagerflow.summary.writer import state
from tests.summary.reading import accumulator, tensors


@pytest.fixture(autouse=True)
def fresh_summary_state():
    yield
    state.writer = state.step = None


def branchy(weights):
    @tf.function
    def f(x, flag):
        y = tf.cond(flag, lambda: x * weights, lambda: x - 1.0)
        return tf.reduce_sum(y, axis=[0, 1]) + 3.0
    return f


def test_one_node_def_per_node_with_inputs_types_and_shapes():
    weights = tf.Variable([1.0, 2.0], name="w")
    graph = branchy(weights).get_concrete_function(
        tf.TensorSpec([None, 2]), tf.TensorSpec([], tf.bool)).graph
    definition = graph_pb2.GraphDef.FromString(to_graph_def(graph).SerializeToString())
    nodes = {n.name: n for n in definition.node}
    assert [(n.name, n.op) for n in definition.node if not n.name.startswith("cond/")] == [
        ("args_0", "Placeholder"), ("args_1", "Placeholder"), ("w/read", "ReadVariableOp"),
        ("cond", "Cond"), ("sum", "Sum"), ("const", "Const"), ("add", "Add")]
    x = nodes["args_0"]
    assert x.attr["dtype"].type == 1  # DT_FLOAT
    assert [d.size for d in x.attr["shape"].shape.dim] == [-1, 2]
    assert nodes["args_1"].attr["dtype"].type == 10  # DT_BOOL
    assert nodes["w/read"].attr["variable"].s == b"w:0"
    assert list(nodes["cond"].input) == ["args_1", "args_0", "w/read"]
    assert nodes["cond"].attr["then"].func.name == "cond/then"
    assert list(nodes["sum"].attr["axis"].list.i) == [0, 1]
    assert nodes["sum"].attr["keepdims"].b is False
    assert list(nodes["add"].input) == ["sum", "const"]
    assert nodes["add"].attr["T"].type == 1
    assert [d.size for d in nodes["add"].attr["_output_shapes"].list.shape[0].dim] == []
    assert tensor_util.make_ndarray(nodes["const"].attr["value"].tensor) == 3.0
    # The branches sit under the Cond's scope, their captures fed by the outer tensors.
    assert list(nodes["cond/then/capture"].input) == ["args_0"]
    assert list(nodes["cond/then/capture_1"].input) == ["w/read"]
    assert nodes["cond/then/mul"].op == "Mul"
    assert list(nodes["cond/else/sub"].input) == ["cond/else/capture", "cond/else/const"]


def test_large_constants_keep_only_dtype_and_shape():
    @tf.function
    def f(x):
        return x + np.ones((40, 40), np.float32)

    definition = to_graph_def(f.get_concrete_function(tf.TensorSpec([40, 40])).graph)
    [const] = [n for n in definition.node if n.op == "Const"]
    tensor = const.attr["value"].tensor
    assert [d.size for d in tensor.tensor_shape.dim] == [40, 40] and not tensor.tensor_content


def test_control_inputs_and_multiple_outputs():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [4])
        values, indices = tf.unique(x)
        tf.identity(indices)
        graph.group([values.op], name="train")
    nodes = {n.name: n for n in to_graph_def(graph).node}
    assert list(nodes["identity"].input) == ["unique:1"]
    assert list(nodes["train"].input) == ["^unique"]
    assert len(nodes["unique"].attr["_output_shapes"].list.shape) == 2


def test_summary_graph_writes_the_run_graph(tmp_path):
    graph = branchy(tf.Variable([1.0, 2.0])).get_concrete_function(
        tf.TensorSpec([None, 2]), tf.TensorSpec([], tf.bool)).graph
    assert not bool(tf.summary.graph(graph))  # no default writer
    with tf.summary.create_file_writer(tmp_path).as_default():
        assert bool(tf.summary.graph(graph))
    written = accumulator(tmp_path).Graph()
    assert {"Cond", "Mul", "Sum", "Add"} <= {n.op for n in written.node}


def test_summary_graph_takes_a_graph_def_and_refuses_graph_mode(tmp_path):
    definition = graph_pb2.GraphDef()
    definition.node.add(name="a", op="NoOp")

    @tf.function
    def f():
        tf.summary.graph(definition)
        return tf.constant(0)

    with tf.summary.create_file_writer(tmp_path).as_default():
        tf.summary.graph(definition)
        with pytest.raises(ValueError, match="inside a graph"):
            f()
        with pytest.raises(ValueError, match="tf.Graph or a GraphDef"):
            tf.summary.graph("not a graph")
    assert [n.name for n in accumulator(tmp_path).Graph().node] == ["a"]


def test_trace_export_writes_the_graphs_of_the_functions_that_ran(tmp_path):
    @tf.function
    def double(x):
        return x * 2.0

    @tf.function
    def shift(x):
        return x - 1.0

    writer = tf.summary.create_file_writer(tmp_path)
    double(tf.constant(1.0))  # before trace_on: not recorded
    tf.summary.trace_on(graph=True)
    double(tf.constant(1.0))
    shift(tf.constant(1.0))
    double(tf.constant(2.0))
    with writer.as_default():
        tf.summary.trace_export("step_graphs", step=3)
    [(step, value)] = tensors(tmp_path, "step_graphs")
    metadata = accumulator(tmp_path).SummaryMetadata("step_graphs")
    assert step == 3 and metadata.plugin_data.plugin_name == "graph_run_metadata_graph"
    assert metadata.plugin_data.content == b"1"
    run_metadata = config_pb2.RunMetadata.FromString(value.item())
    ops = [[n.op for n in g.pre_optimization_graph.node] for g in run_metadata.function_graphs]
    assert ops == [["Placeholder", "Const", "Mul"], ["Placeholder", "Const", "Sub"]]
    assert tf.summary.trace_export("again", step=4) is None  # tracing stopped


def test_trace_on_has_no_profiler():
    with pytest.raises(NotImplementedError, match="no profiler"):
        tf.summary.trace_on(graph=True, profiler=True)
