import pytest

import eagerflow as tf


class Dense(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
        self.b = tf.Variable(tf.zeros([n_out]), name="b")

    def __call__(self, x):
        return x @ self.w + self.b


class MLP(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(3, 4), Dense(4, 2)]
        self.extra = {"scale": tf.Variable(2.0, trainable=False)}


def test_module_tracks_variables_through_attributes_lists_and_dicts():
    model = MLP()
    assert model.name == "mlp"
    assert len(model.variables) == 5
    assert len(model.trainable_variables) == 4
    assert len(model.non_trainable_variables) == 1
    assert len(model.submodules) == 2
    assert all(isinstance(m, Dense) for m in model.submodules)


def test_shared_variable_is_listed_once():
    m = tf.Module()
    v = tf.Variable(1.0)
    m.a, m.b = v, [v]
    assert m.variables == (v,)


def test_module_names():
    assert Dense(1, 1).name == "dense"
    assert Dense(1, 1, name="head").name == "head"
    with pytest.raises(ValueError, match="valid module name"):
        tf.Module(name="not valid")


def test_with_name_scope_prefixes_variables():
    class Scoped(tf.Module):
        @tf.Module.with_name_scope
        def build(self):
            self.v = tf.Variable(1.0, name="v")

    s = Scoped(name="scoped")
    s.build()
    assert s.v.name == "scoped/v:0"


def test_own_variables_in_attribute_order_then_each_submodule_depth_first():
    class Leaf(tf.Module):
        def __init__(self, value, name):
            super().__init__(name=name)
            self.v = tf.Variable(value, name="v")

    root = tf.Module(name="root")
    root.z_own = tf.Variable(0.0, name="z_own")
    root.children = {"b": Leaf(2.0, "b"), "a": Leaf(1.0, "a")}
    root.a_own = tf.Variable(-1.0, name="a_own")
    root.children["a"].grandchild = Leaf(3.0, "grandchild")
    values = [float(v.numpy()) for v in root.variables]
    assert values == [-1.0, 0.0, 1.0, 3.0, 2.0]
    assert [m.name for m in root.submodules] == ["a", "b", "grandchild"]


def test_nested_containers_and_trainability():
    m = tf.Module()
    frozen = tf.Variable(1.0, trainable=False)
    m.items = [tf.Variable(2.0), (tf.Variable(3.0), {"k": frozen}), "not a variable", 4]
    assert len(m.variables) == 3
    assert [float(v.numpy()) for v in m.trainable_variables] == [2.0, 3.0]
    assert m.non_trainable_variables == (frozen,)
    assert m.submodules == ()


def test_submodules_are_found_once_and_cycles_end():
    a, b, c = tf.Module(name="a"), tf.Module(name="b"), tf.Module(name="c")
    a.b, b.c, c.a = b, c, a  # a cycle back to the root
    b.again = c
    assert list(a.submodules) == [b, c]
    paths = [path for path, _ in a._flatten(predicate=lambda x: isinstance(x, tf.Module),
                                             with_path=True)]
    # every path, but a module met again below itself is not searched further
    assert paths == [("b",), ("b", "again"), ("b", "c"), ("b", "again", "a"),
                     ("b", "again", "a", "b"), ("b", "c", "a"), ("b", "c", "a", "b")]


def test_flatten_without_recursion_and_with_a_traversal_key():
    m = tf.Module()
    m.first, m.second = tf.Variable(1.0), tf.Variable(2.0)
    m.sub = tf.Module()
    m.sub.hidden = tf.Variable(3.0)
    direct = m._flatten(recursive=False, predicate=lambda x: isinstance(x, tf.Variable))
    assert [float(v.numpy()) for v in direct] == [1.0, 2.0]
    reverse = m._flatten(recursive=False, attribute_traversal_key=lambda n: -ord(n[0]),
                         predicate=lambda x: isinstance(x, tf.Variable))
    assert [float(v.numpy()) for v in reverse] == [2.0, 1.0]


def test_name_scope_includes_enclosing_scopes_and_can_be_reentered():
    with tf.name_scope("outer"):
        inner = tf.Module(name="inner")
    assert inner.name == "inner" and inner.name_scope.name == "outer/inner/"
    with tf.name_scope("elsewhere"):
        with inner.name_scope as scope:
            assert scope == "outer/inner/"
            v = tf.Variable(1.0, name="v")
        after = tf.Variable(1.0, name="after")
    assert v.name == "outer/inner/v:0" and after.name == "elsewhere/after:0"


def test_with_name_scope_keeps_the_method_metadata_and_nests():
    class Outer(tf.Module):
        def __init__(self):
            super().__init__()
            with self.name_scope:
                self.inner = Dense(1, 1, name="inner")

        @tf.Module.with_name_scope
        def make(self):
            """Docstring kept."""
            return tf.Variable(0.0, name="made")

    outer = Outer()
    assert outer.make.__name__ == "make" and outer.make.__doc__ == "Docstring kept."
    assert outer.make().name == "outer/made:0"
    assert outer.inner.w.name == "outer/w:0"  # made in Dense.__init__, outside its scope
    assert outer.inner.name_scope.name == "outer/inner/"


def test_keras_layers_held_by_a_module_are_submodules():
    m = tf.Module()
    m.dense = tf.keras.layers.Dense(2)
    m.dense.build((None, 3))
    m.bias = tf.Variable(0.0)
    assert m.submodules == (m.dense,)
    assert [v.shape for v in m.trainable_variables] == [(), (3, 2), (2,)]
