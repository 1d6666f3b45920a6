"""tf.compat.v1.variable_scope and get_variable: naming, sharing (reuse=True, AUTO_REUSE,
reuse_variables), inherited settings, and the errors that prevent sharing by accident."""

import numpy as np
import pytest

import eagerflow as tf

v1 = tf.compat.v1


@pytest.fixture(autouse=True)
def _fresh_graph():
    """get_variable's variables live in the default graph; each test gets its own."""
    with tf.Graph().as_default():
        yield


def test_nested_scopes_name_variables():
    with v1.variable_scope("foo"):
        with v1.variable_scope("bar"):
            v = v1.get_variable("v", [1])
            assert v1.get_variable_scope().name == "foo/bar"
    assert v.name == "foo/bar/v:0" and v.shape == (1,)
    assert v1.get_variable_scope().name == ""


def test_reuse_true_returns_the_existing_variable():
    with v1.variable_scope("foo"):
        v = v1.get_variable("v", [1])
    with v1.variable_scope("foo", reuse=True):
        assert v1.get_variable("v", [1]) is v


def test_auto_reuse_creates_once_then_returns_it():
    def foo():
        with v1.variable_scope("foo", reuse=v1.AUTO_REUSE):
            return v1.get_variable("v", [1])
    first = foo()
    assert foo() is first and first.name == "foo/v:0"


def test_a_captured_scope_shares_through_reuse_variables():
    with v1.variable_scope("foo") as scope:
        v = v1.get_variable("v", [1])
        scope.reuse_variables()
        assert scope.reuse is True
        assert v1.get_variable("v", [1]) is v
    with v1.variable_scope(scope, reuse=True):
        assert v1.get_variable("v") is v


def test_reentering_a_captured_scope_from_elsewhere_uses_its_full_name():
    with v1.variable_scope("outer"):
        with v1.variable_scope("inner") as inner:
            pass
    with v1.variable_scope("elsewhere"):
        with v1.variable_scope(inner):
            w = v1.get_variable("w", [2])
    assert w.name == "outer/inner/w:0"


def test_getting_an_existing_variable_without_reuse_is_an_error():
    with v1.variable_scope("foo"):
        v1.get_variable("v", [1])
        with pytest.raises(ValueError, match="foo/v already exists") as caught:
            v1.get_variable("v", [1])
    assert "reuse=True" in str(caught.value) and "AUTO_REUSE" in str(caught.value)


def test_reuse_true_for_a_missing_variable_is_an_error():
    with v1.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError, match="foo/v does not exist"):
            v1.get_variable("v", [1])


def test_reuse_is_inherited_and_cannot_be_turned_off_below():
    with v1.variable_scope("root"):
        with v1.variable_scope("child"):
            v = v1.get_variable("v", [1])
    with v1.variable_scope("root", reuse=True):
        with v1.variable_scope("child", reuse=False):
            assert v1.get_variable_scope().reuse is True
            assert v1.get_variable("v", [1]) is v


def test_sharing_checks_shape_and_dtype():
    with v1.variable_scope("s"):
        v1.get_variable("v", [2, 3])
    with v1.variable_scope("s", reuse=True):
        with pytest.raises(ValueError, match=r"s/v.*\(3, 2\).*\(2, 3\)"):
            v1.get_variable("v", [3, 2])
        with pytest.raises(ValueError, match="dtype int32"):
            v1.get_variable("v", [2, 3], dtype=tf.int32)


def test_scope_initializer_and_dtype_apply_inside_and_are_inherited():
    with v1.variable_scope("init", initializer=tf.keras.initializers.Constant(0.5),
                           dtype=tf.float64):
        with v1.variable_scope("sub"):
            a = v1.get_variable("a", [2])
            b = v1.get_variable("b", [2], initializer=tf.keras.initializers.Ones())
    assert a.dtype == tf.float64 and a.numpy().tolist() == [0.5, 0.5]
    assert b.numpy().tolist() == [1.0, 1.0]


def test_a_constant_initializer_gives_shape_and_dtype():
    c = v1.get_variable("c", initializer=np.array([[1, 2, 3]], "int32"))
    assert c.dtype == tf.int32 and c.shape == (1, 3)
    with pytest.raises(ValueError, match="pass no `shape`"):
        v1.get_variable("d", [1, 3], initializer=np.zeros([1, 3]))
    with pytest.raises(ValueError, match="needs a fully defined `shape`"):
        v1.get_variable("e")


def test_default_initializers_glorot_for_floats_zeros_otherwise():
    w = v1.get_variable("w", [100, 50])
    limit = np.sqrt(6.0 / 150)
    assert np.all(np.abs(w.numpy()) <= limit) and np.std(w.numpy()) > limit / 3
    n = v1.get_variable("n", [3], dtype=tf.int32)
    assert n.numpy().tolist() == [0, 0, 0]


def test_name_scopes_inside_a_variable_scope_name_ops_not_get_variable():
    with v1.variable_scope("vs"):
        plain = tf.Variable(1.0, name="plain")
        with tf.name_scope("ns"):
            shared = v1.get_variable("shared", [1])
            scoped = tf.Variable(1.0, name="scoped")
    assert (plain.name, shared.name, scoped.name) == ("vs/plain:0", "vs/shared:0",
                                                      "vs/ns/scoped:0")


def test_auxiliary_name_scope_false_and_original_name_scope():
    with v1.variable_scope("foo") as vs:
        assert vs.original_name_scope == "foo/"
    with v1.variable_scope(vs, auxiliary_name_scope=False) as vs1:
        with tf.name_scope(vs1.original_name_scope):
            v = v1.get_variable("v", [1])
            c = tf.Variable(1.0, name="c")
    assert v.name == "foo/v:0" and c.name == "foo/c:0"


def test_default_name_is_made_unique():
    names = []
    for _ in range(3):
        with v1.variable_scope(None, default_name="layer"):
            names.append(v1.get_variable("w", [1]).name)
    assert names == ["layer/w:0", "layer_1/w:0", "layer_2/w:0"]
    with pytest.raises(TypeError, match="default_name"):
        v1.variable_scope(None)


def test_invalid_reuse_values():
    with pytest.raises(ValueError, match="reuse"):
        v1.variable_scope("x", reuse="yes")


def test_scope_get_variable_and_separate_graphs_keep_separate_variables():
    with v1.variable_scope("m") as scope:
        pass
    w = scope.get_variable("w", [1])
    assert w.name == "m/w:0"
    with tf.Graph().as_default():
        other = scope.get_variable("w", [1])
    assert other is not w


def test_each_new_graph_starts_without_variables():
    # graphs made and dropped in turn often reuse one address: a store keyed by the
    # address would see the old graph's variable
    for _ in range(20):
        with tf.Graph().as_default():
            with v1.variable_scope("g"):
                assert v1.get_variable("w", [1]).name == "g/w:0"
