"""keras.utils.model_to_dot / plot_model: the pydot graph, .dot files, and the errors."""

import sys

import pydot
import pytest

from eagerflow import keras


@pytest.fixture(autouse=True)
def fresh_names():
    keras.backend.clear_session()


def sequential():
    return keras.Sequential([keras.Input(shape=(8,)),
                             keras.layers.Dense(16, activation="relu", name="hidden"),
                             keras.layers.Dropout(0.5, name="drop"),
                             keras.layers.Dense(3, activation="softmax", name="probs")])


def two_headed():
    """Two inputs, a concatenation, an op layer, two outputs."""
    image = keras.Input(shape=(4,), name="image")
    meta = keras.Input(shape=(2,), name="meta", dtype="float64")
    features = keras.layers.Dense(5, name="features")(image)
    merged = keras.layers.Concatenate(name="merged")([features, keras.layers.Dense(
        3, name="meta_dense", dtype="float64")(meta)])
    score = keras.layers.Dense(1, name="score")(merged)
    label = keras.layers.Dense(2, name="label")(merged * 2.0)
    return keras.Model([image, meta], [score, label])


def drawn_layers(dot):
    """{node id: (layer name, label)} of the drawn layers, clusters included (a label
    starts with the layer's name in bold)."""
    nodes = dot.get_nodes() + [n for g in dot.get_subgraphs() for n in g.get_nodes()]
    return {n.get_name(): (n.get("label").split("<b>")[1].split("</b>")[0], n.get("label"))
            for n in nodes if n.get("label")}


def labels(dot):
    """{layer name: label}."""
    return dict(drawn_layers(dot).values())


def edges(dot):
    """The (source, target) layer names of every edge, sorted."""
    names = {node_id: name for node_id, (name, _) in drawn_layers(dot).items()}
    found = dot.get_edges() + [e for g in dot.get_subgraphs() for e in g.get_edges()]
    return sorted((names[e.get_source()], names[e.get_destination()]) for e in found)


def test_sequential_is_a_chain_of_its_layers():
    dot = keras.utils.model_to_dot(sequential(), rankdir="LR", dpi=96)
    assert isinstance(dot, pydot.Dot)
    assert dot.get("rankdir") == "LR" and dot.get("dpi") == 96
    assert sorted(labels(dot)) == ["drop", "hidden", "probs"]
    assert edges(dot) == [("drop", "probs"), ("hidden", "drop")]
    assert "(Dense)" in labels(dot)["hidden"]


def test_functional_edges_follow_the_layer_calls():
    dot = keras.utils.model_to_dot(two_headed(), show_shapes=True, show_dtype=True)
    found = labels(dot)
    assert sorted(found) == ["features", "image", "label", "merged", "meta", "meta_dense",
                             "mul", "score"]
    assert edges(dot) == [("features", "merged"), ("image", "features"), ("merged", "mul"),
                          ("merged", "score"), ("meta", "meta_dense"), ("meta_dense", "merged"),
                          ("mul", "label")]
    assert "<b>mul</b> (Mul)" in found["mul"]  # an op on KerasTensors shows its op
    assert "Input shape: [(None, 5), (None, 3)]" in found["merged"]
    assert "Output shape: (None, 8)" in found["merged"]
    assert "Output shape: (None, 4)" in found["image"]
    assert "Input dtype: float64" in found["meta_dense"]


def test_optional_rows_and_hidden_names():
    found = labels(keras.utils.model_to_dot(sequential(), show_layer_activations=True,
                                            show_trainable=True))
    assert "Activation: relu" in found["hidden"] and "Activation: softmax" in found["probs"]
    assert "Activation" not in found["drop"] and "Trainable: True" in found["drop"]
    plain = keras.utils.model_to_dot(sequential(), show_layer_names=False).to_string()
    assert "hidden" not in plain and "<b>Dense</b>" in plain


def test_expand_nested_draws_a_cluster():
    inner = keras.Sequential([keras.layers.Dense(4, name="a"), keras.layers.Dense(3, name="b")],
                             name="inner")
    x = keras.Input(shape=(5,), name="x")
    outer = keras.Model(x, keras.layers.Dense(1, name="out")(inner(x)))
    collapsed = keras.utils.model_to_dot(outer)
    assert edges(collapsed) == [("inner", "out"), ("x", "inner")]
    expanded = keras.utils.model_to_dot(outer, expand_nested=True)
    [cluster] = expanded.get_subgraphs()
    assert cluster.get("label") == "inner"
    assert edges(expanded) == [("a", "b"), ("b", "out"), ("x", "a")]


def test_a_subclassed_model_is_one_node():
    class Net(keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.dense = keras.layers.Dense(2)

        def call(self, inputs):
            return self.dense(inputs)

    model = Net()
    model.build((None, 3))
    dot = keras.utils.model_to_dot(model)
    assert list(labels(dot)) == ["net"] and not dot.get_edges()


def test_plot_model_to_a_dot_file_needs_no_graphviz(tmp_path, monkeypatch):
    def no_graphviz(*args, **kwargs):
        raise FileNotFoundError('"dot" not found in path.')
    monkeypatch.setattr(pydot.Dot, "create", no_graphviz)
    path = tmp_path / "model.dot"
    assert keras.utils.plot_model(two_headed(), to_file=path, show_shapes=True) is None
    source = path.read_text()
    assert source.startswith("digraph")
    for name, shape in [("image", "(None, 4)"), ("meta", "(None, 2)"), ("features", "(None, 5)"),
                        ("meta_dense", "(None, 3)"), ("merged", "(None, 8)"),
                        ("mul", "(None, 8)"), ("score", "(None, 1)"),
                        ("label", "(None, 2)")]:
        assert f"<b>{name}</b>" in source
        assert f"Output shape: {shape}" in labels(pydot.graph_from_dot_data(source)[0])[name]


def test_missing_graphviz_is_a_clear_import_error(tmp_path, monkeypatch):
    def no_graphviz(*args, **kwargs):
        raise FileNotFoundError('"dot" not found in path.')
    monkeypatch.setattr(pydot.Dot, "create", no_graphviz)
    with pytest.raises(ImportError, match=r"You must install graphviz .* for `plot_model`"):
        keras.utils.plot_model(sequential(), to_file=tmp_path / "model.png")
    assert not (tmp_path / "model.png").exists()


def test_rendering_writes_what_graphviz_makes(tmp_path, monkeypatch):
    monkeypatch.setattr(pydot.Dot, "create", lambda self, prog=None, format=None, **kw:
                        f"{format} image of {len(labels(self))} layers".encode())
    keras.utils.plot_model(sequential(), to_file=tmp_path / "model.svg")
    keras.utils.plot_model(sequential(), to_file=tmp_path / "model")
    assert (tmp_path / "model.svg").read_bytes() == b"svg image of 3 layers"
    assert (tmp_path / "model").read_bytes() == b"png image of 3 layers"


def test_missing_pydot_is_a_clear_import_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(ImportError, match=r"You must install pydot \(`pip install pydot`\) "
                                          r"for `plot_model` to work\."):
        keras.utils.plot_model(sequential(), to_file=tmp_path / "model.dot")
    with pytest.raises(ImportError, match="pip install pydot"):
        keras.utils.model_to_dot(sequential())


def test_an_unbuilt_model_cannot_be_drawn():
    with pytest.raises(ValueError, match="has not yet been built"):
        keras.utils.model_to_dot(keras.Sequential([keras.layers.Dense(2)]))
