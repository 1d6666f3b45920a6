"""keras.Layer: lazy build, weights, freezing, names, training flag, losses, config."""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow import keras


class Linear(keras.layers.Layer):
    """x @ w + b, plus a non-trainable step counter; records the shape build() got."""

    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.build_shapes = []

    def build(self, input_shape):
        self.build_shapes.append(tuple(input_shape))
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones",
                                 name="w")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", name="b")
        self.steps = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                     name="steps")

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class TrainingRecorder(keras.layers.Layer):
    """Passes its input through and remembers the `training` value of every call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, training=None):
        self.seen.append(training)
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


class Parent(keras.layers.Layer):
    """Takes `training` but calls its TrainingRecorder without passing it on."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.recorder = TrainingRecorder()

    def call(self, inputs, training=None):
        return self.recorder(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape


class Wrapper(keras.layers.Layer):
    """Calls a TrainingRecorder without passing `training` (its call has no such arg)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.recorder = TrainingRecorder()

    def call(self, inputs):
        return self.recorder(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape


class ActivityPenalty(keras.layers.Layer):
    """Adds rate * sum(|x|) as a loss on every call."""

    def __init__(self, rate=0.5, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, inputs):
        self.add_loss(self.rate * tf.reduce_sum(tf.abs(inputs)))
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


def ones(*shape):
    return np.ones(shape, dtype="float32")


# --- lazy build and weights ---------------------------------------------------------------


def test_layer_builds_on_first_call_with_the_input_shape():
    layer = Linear(3)
    assert not layer.built
    assert layer.weights == []
    out = layer(ones(2, 5))
    assert layer.built
    assert layer.build_shapes == [(2, 5)]
    assert tuple(layer.w.shape) == (5, 3)
    np.testing.assert_allclose(out.numpy(), np.full((2, 3), 5.0))
    layer(ones(4, 5))
    assert layer.build_shapes == [(2, 5)], "build runs once"


def test_symbolic_call_builds_with_a_none_batch_dimension():
    layer = Linear(3)
    out = layer(keras.Input(shape=(5,)))
    assert layer.build_shapes == [(None, 5)]
    assert out.shape == (None, 3)


def test_add_weight_sorts_weights_into_trainable_and_non_trainable():
    layer = Linear(2)
    layer(ones(1, 4))
    assert [w.name for w in layer.weights] == ["w", "b", "steps"]
    assert [w.name for w in layer.trainable_weights] == ["w", "b"]
    assert [w.name for w in layer.non_trainable_weights] == ["steps"]
    assert layer.w.path == "linear/w"
    assert all(a is b for a, b in zip(layer.variables, layer.weights))
    assert [tuple(w.shape) for w in layer.get_weights()] == [(4, 2), (2,), ()]


def test_add_weight_uses_the_initializer_and_dtype():
    class Holder(keras.layers.Layer):
        def build(self, input_shape):
            self.c = self.add_weight(shape=(2, 2), initializer=keras.initializers.Constant(3.0))
            self.i = self.add_weight(shape=(3,), dtype="int32", trainable=False)

    layer = Holder()
    layer(ones(1, 1))
    np.testing.assert_array_equal(layer.c.numpy(), np.full((2, 2), 3.0))
    assert layer.i.dtype == tf.int32
    np.testing.assert_array_equal(layer.i.numpy(), [0, 0, 0])


def test_set_weights_and_its_length_error():
    layer = Linear(2)
    layer(ones(1, 3))
    new = [np.arange(6, dtype="float32").reshape(3, 2), np.array([1.0, -1.0], "float32"),
           np.array(7.0, "float32")]
    layer.set_weights(new)
    for got, want in zip(layer.get_weights(), new):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="linear"):
        layer.set_weights(new[:2])


def test_sublayer_weights_are_found_through_attributes():
    class Block(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.first = keras.layers.Dense(3)
            self.second = keras.layers.Dense(2)

        def call(self, inputs):
            return self.second(self.first(inputs))

    block = Block()
    block(ones(2, 4))
    assert [w.path for w in block.weights] == ["dense/kernel", "dense/bias",
                                               "dense_1/kernel", "dense_1/bias"]
    assert block.count_params() == 4 * 3 + 3 + 3 * 2 + 2


# --- freezing -----------------------------------------------------------------------------


def test_trainable_false_moves_weights_to_non_trainable():
    layer = keras.layers.Dense(2)
    layer(ones(1, 3))
    layer.trainable = False
    assert layer.trainable_weights == []
    assert [w.name for w in layer.non_trainable_weights] == ["kernel", "bias"]
    layer.trainable = True
    assert [w.name for w in layer.trainable_weights] == ["kernel", "bias"]


def test_freezing_a_container_freezes_its_sublayers():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4),
                              keras.layers.Dense(1)])
    model.layers[0].trainable = False
    assert len(model.trainable_weights) == 2
    assert len(model.non_trainable_weights) == 2
    model.trainable = False
    assert model.trainable_weights == []
    assert not model.layers[1].trainable


def test_fit_leaves_frozen_weights_unchanged():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    frozen = keras.layers.Dense(4, name="frozen")
    model = keras.Sequential([keras.Input(shape=(3,)), frozen, keras.layers.Dense(1)])
    frozen.trainable = False
    before_frozen = [w.copy() for w in frozen.get_weights()]
    before_head = [w.copy() for w in model.layers[1].get_weights()]
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    for got, want in zip(frozen.get_weights(), before_frozen):
        np.testing.assert_array_equal(got, want)
    assert any(not np.array_equal(got, want)
               for got, want in zip(model.layers[1].get_weights(), before_head))


# --- names ---------------------------------------------------------------------------------


def test_default_names_are_unique_per_class_and_reset_by_clear_session():
    assert keras.layers.Dense(1).name == "dense"
    assert keras.layers.Dense(1).name == "dense_1"
    assert keras.layers.Dense(1, name="head").name == "head"
    assert keras.layers.Dense(1).name == "dense_2"
    assert keras.layers.Conv2D(1, 1).name == "conv2d"
    assert Linear().name == "linear"
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense"
    assert Linear().name == "linear"


def test_model_and_input_default_names():
    inputs = keras.Input(shape=(2,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    assert model.name == "functional"
    assert [layer.name for layer in model.layers] == ["input_layer", "dense"]
    assert keras.Sequential().name == "sequential"
    assert keras.Sequential().name == "sequential_1"


# --- input_shape= on a first layer ---------------------------------------------------------


def test_input_shape_on_a_first_layer_builds_the_sequential_model():
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(2)])
    assert model.built
    assert [tuple(w.shape) for w in model.weights] == [(3, 4), (4,), (4, 2), (2,)]
    assert model.output_shape == (None, 2)


# --- the training flag ---------------------------------------------------------------------


def test_training_flag_reaches_a_nested_layer_that_was_not_passed_it():
    parent = Parent()
    parent(ones(1, 2), training=True)
    parent(ones(1, 2), training=False)
    parent(ones(1, 2))
    assert parent.recorder.seen == [True, False, None]


def test_training_keyword_is_accepted_by_a_layer_whose_call_lacks_it():
    # Keras drops `training` for a call() without that parameter instead of failing.
    wrapper = Wrapper()
    out = wrapper(ones(1, 2), training=True)
    np.testing.assert_array_equal(out.numpy(), ones(1, 2))


def test_fit_trains_with_training_true_and_evaluate_predict_use_false():
    wrapper = Wrapper()
    model = keras.Sequential([keras.Input(shape=(2,)), wrapper, keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)  # Python sees every call
    seen = wrapper.recorder.seen
    x, y = ones(8, 2), ones(8, 1)

    seen.clear()
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert seen == [True, True]
    seen.clear()
    model.evaluate(x, y, batch_size=4, verbose=0)
    assert seen == [False, False]
    seen.clear()
    model.predict(x, batch_size=8, verbose=0)
    assert seen == [False]
    seen.clear()
    model(x, training=True)
    model(x)
    assert seen == [True, None]


def test_fit_with_validation_calls_layers_with_false_for_validation():
    wrapper = Wrapper()
    model = keras.Sequential([keras.Input(shape=(2,)), wrapper, keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    wrapper.recorder.seen.clear()
    model.fit(ones(4, 2), ones(4, 1), batch_size=4, epochs=1, verbose=0,
              validation_data=(ones(4, 2), ones(4, 1)))
    assert wrapper.recorder.seen == [True, False]


def test_dropout_is_active_only_in_training():
    layer = keras.layers.Dropout(0.5, seed=1)
    x = ones(100, 10)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    dropped = layer(x, training=True).numpy()
    assert set(np.unique(dropped)) <= {0.0, 2.0}
    assert 0 < (dropped == 0).mean() < 1


# --- count_params, compute_output_shape, config -------------------------------------------


def test_count_params_counts_every_weight_and_fails_before_build():
    layer = keras.layers.Dense(3)
    with pytest.raises(ValueError, match="You tried to call `count_params` on layer 'dense', "
                                         "but the layer isn't built"):
        layer.count_params()
    layer(ones(1, 4))
    assert layer.count_params() == 4 * 3 + 3


def test_compute_output_shape():
    assert keras.layers.Dense(3).compute_output_shape((None, 5)) == (None, 3)
    assert Linear(7).compute_output_shape((None, 2, 5)) == (None, 2, 7)
    assert keras.layers.Flatten().compute_output_shape((None, 28, 28)) == (None, 784)


def test_get_config_from_config_round_trip_of_a_builtin_layer():
    layer = keras.layers.Dense(3, activation="relu", use_bias=False, name="hidden")
    config = layer.get_config()
    assert config["name"] == "hidden"
    assert config["units"] == 3
    assert config["activation"] == "relu"
    assert config["use_bias"] is False
    assert config["trainable"] is True
    assert "dtype" in config
    clone = keras.layers.Dense.from_config(config)
    assert clone.get_config() == config
    assert clone is not layer


def test_get_config_from_config_round_trip_of_a_custom_layer():
    layer = Linear(5, name="lin", trainable=False)
    config = layer.get_config()
    assert set(config) == {"name", "trainable", "dtype", "units"}
    assert (config["name"], config["trainable"], config["units"]) == ("lin", False, 5)
    clone = Linear.from_config(config)
    assert (clone.name, clone.units, clone.trainable) == ("lin", 5, False)


def test_unknown_constructor_keyword_is_a_value_error():
    with pytest.raises(ValueError) as error:
        Linear(2, bogus=1)
    assert str(error.value) == "Unrecognized keyword arguments passed to Linear: {'bogus': 1}"


# --- losses --------------------------------------------------------------------------------


def test_add_loss_collects_in_layer_and_model_losses():
    penalty = ActivityPenalty(rate=0.5)
    model = keras.Sequential([keras.Input(shape=(2,)), penalty])
    x = np.array([[1.0, -2.0], [3.0, 0.0]], "float32")
    model(x)
    assert len(penalty.losses) == 1
    np.testing.assert_allclose(float(penalty.losses[0]), 0.5 * 6.0)
    np.testing.assert_allclose([float(v) for v in model.losses], [3.0])
    model(x[:1])  # losses hold the last call's values only
    np.testing.assert_allclose([float(v) for v in model.losses], [1.5])


def test_weight_regularizer_losses_appear_in_model_losses():
    dense = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1),
                               bias_regularizer=keras.regularizers.L1(0.2),
                               bias_initializer="ones")
    model = keras.Sequential([keras.Input(shape=(3,)), dense])
    kernel = dense.kernel.numpy()
    values = sorted(float(v) for v in model.losses)
    expected = sorted([0.1 * float(np.sum(kernel ** 2)), 0.2 * 2.0])
    np.testing.assert_allclose(values, expected, rtol=1e-6)


def test_activity_regularizer_adds_a_loss_on_each_call():
    dense = keras.layers.Dense(2, kernel_initializer="ones",
                               activity_regularizer=keras.regularizers.L1(0.01))
    out = dense(np.array([[1.0, 2.0]], "float32"))
    np.testing.assert_allclose(out.numpy(), [[3.0, 3.0]])
    np.testing.assert_allclose([float(v) for v in dense.losses], [0.01 * 6.0], rtol=1e-6)


def test_regularization_and_added_losses_are_part_of_the_trained_loss():
    dense = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros",
                               kernel_regularizer=keras.regularizers.L2(0.25))
    model = keras.Sequential([keras.Input(shape=(2,)), ActivityPenalty(rate=0.5), dense])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    x = np.array([[1.0, 2.0], [0.0, -1.0]], "float32")
    y = np.array([[1.0], [1.0]], "float32")
    # predictions 3 and -1: mse = (4 + 4) / 2; L2: 0.25 * (1 + 1); activity: 0.5 * 4
    expected = 4.0 + 0.5 + 2.0
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), expected, rtol=1e-6)
    np.testing.assert_allclose(model.train_on_batch(x, y), expected, rtol=1e-6)


def test_regularizer_gradient_shrinks_weights_with_zero_data_loss():
    dense = keras.layers.Dense(1, kernel_initializer="ones", use_bias=False,
                               kernel_regularizer=keras.regularizers.L2(0.5))
    model = keras.Sequential([keras.Input(shape=(1,)), dense])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    # data loss 0 (x = 0, y = 0): grad of 0.5 * w^2 is w, so w <- 1 - 0.1 * 1
    model.train_on_batch(np.zeros((2, 1), "float32"), np.zeros((2, 1), "float32"))
    np.testing.assert_allclose(dense.kernel.numpy(), [[0.9]], rtol=1e-6)


# --- input_spec ----------------------------------------------------------------------------


def test_input_spec_error_names_the_layer_and_expected_versus_received():
    dense = keras.layers.Dense(4)
    dense(ones(2, 3))
    with pytest.raises(ValueError) as error:
        dense(ones(2, 5))
    assert str(error.value) == ('Input 0 of layer "dense" is incompatible with the layer: '
                                'expected axis -1 of input shape to have value 3, but received '
                                'input with shape (2, 5)')


def test_input_spec_rank_errors():
    with pytest.raises(ValueError) as error:
        keras.layers.Conv2D(2, 3)(ones(2, 5, 5))
    assert str(error.value) == ('Input 0 of layer "conv2d" is incompatible with the layer: '
                                'expected min_ndim=4, found ndim=3. Full shape received: '
                                '(2, 5, 5)')
    with pytest.raises(ValueError) as error:
        keras.layers.MaxPooling2D()(ones(2, 5, 5))
    assert str(error.value) == ('Input 0 of layer "max_pooling2d" is incompatible with the '
                                'layer: expected ndim=4, found ndim=3. Full shape received: '
                                '(2, 5, 5)')


def test_custom_input_spec_is_checked_before_build():
    class NeedsPairs(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.input_spec = keras.InputSpec(ndim=2, axes={-1: 2})

    layer = NeedsPairs()
    np.testing.assert_array_equal(layer(ones(3, 2)).numpy(), ones(3, 2))
    with pytest.raises(ValueError, match='layer "needs_pairs".*expected axis -1 of input '
                                         r'shape to have value 2, but received input with '
                                         r'shape \(3, 4\)'):
        layer(ones(3, 4))
    with pytest.raises(ValueError, match=r"expected ndim=2, found ndim=3"):
        layer(ones(1, 3, 2))


def test_compiled_steps_see_the_training_flag_once_per_trace():
    wrapper = Wrapper()
    model = keras.Sequential([keras.Input(shape=(2,)), wrapper, keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    seen = wrapper.recorder.seen
    x, y = ones(8, 2), ones(8, 1)
    model.fit(x, y, batch_size=4, epochs=2, verbose=0)
    model.evaluate(x, y, batch_size=4, verbose=0)
    assert seen == [True, False]  # one trace of the train step, one of the test step


def test_repeated_eager_calls_keep_every_check_and_the_training_flag():
    dense = keras.layers.Dense(2)
    x = tf.ones((3, 4))
    first, again = dense(x), dense(x)  # the second takes the short path
    np.testing.assert_array_equal(first.numpy(), again.numpy())
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 4"):
        dense(tf.ones((3, 5)))
    dense.activity_regularizer = keras.regularizers.L2(1.0)
    dense(x)
    assert len(dense.losses) == 1

    model = keras.Sequential([keras.Input((100,)), keras.layers.Dropout(0.5)])
    ones = tf.ones((2, 100))
    for _ in range(2):
        np.testing.assert_array_equal(model(ones).numpy(), ones.numpy())
        assert (model(ones, training=True).numpy() == 0).any()
