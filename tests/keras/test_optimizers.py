"""keras.optimizers: each update rule against NumPy formulas written from the documented
rules, the shared step (clipping, weight decay, EMA, accumulation), state and lookup."""

import math
import warnings

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.keras import optimizers
from eagerflow.keras.optimizers import schedules

W0 = np.array([1.0, -2.0, 0.5])
GRADS = [np.array([0.5, -1.0, 2.0]), np.array([-0.3, 0.8, 0.1]), np.array([1.0, 1.0, -1.0])]
EPS = 1e-7


def run(optimizer, w0=W0, grads=GRADS, dtype=tf.float32):
    """The variable's value after each step of `optimizer` on `grads`."""
    w = tf.Variable(tf.constant(w0, dtype))
    values = []
    for g in grads:
        optimizer.apply_gradients([(tf.constant(g, dtype), w)])
        values.append(w.numpy().astype(np.float64))
    return values


def reference(step, state, w0=W0, grads=GRADS):
    """The values a NumPy `step(w, g, t, state) -> w` gives, t counting from 1."""
    w = np.array(w0, np.float64)
    values = []
    for t, g in enumerate(grads, start=1):
        w = step(w, np.asarray(g, np.float64), t, state)
        values.append(w.copy())
    return values


def assert_steps(actual, expected, rtol=1e-5, atol=1e-6):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol)


# Update rules ------------------------------------------------------------------------------

def sgd_step(lr, momentum=0.0, nesterov=False):
    def step(w, g, t, s):
        if momentum == 0:
            return w - lr * g
        s["v"] = momentum * s.get("v", 0.0) - lr * g
        return w + (momentum * s["v"] - lr * g if nesterov else s["v"])
    return step


def adam_step(lr, b1=0.9, b2=0.999, amsgrad=False, wd=None):
    def step(w, g, t, s):
        if wd is not None:
            w = w - w * wd * lr
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        v = s["v"]
        if amsgrad:
            s["vhat"] = v = np.maximum(s.get("vhat", 0.0), s["v"])
        step_size = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        return w - step_size * s["m"] / (np.sqrt(v) + EPS)
    return step


def adamax_step(lr, b1=0.9, b2=0.999):
    def step(w, g, t, s):
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["u"] = np.maximum(b2 * s.get("u", 0.0), np.abs(g))
        return w - lr / (1 - b1 ** t) * s["m"] / (s["u"] + EPS)
    return step


def nadam_step(lr, b1=0.9, b2=0.999):
    def mu(t):
        return b1 * (1 - 0.5 * 0.96 ** t)

    def step(w, g, t, s):
        s["prod"] = s.get("prod", 1.0) * mu(t)
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        m_hat = (mu(t + 1) * s["m"] / (1 - s["prod"] * mu(t + 1))
                 + (1 - mu(t)) * g / (1 - s["prod"]))
        v_hat = s["v"] / (1 - b2 ** t)
        return w - lr * m_hat / (np.sqrt(v_hat) + EPS)
    return step


def rmsprop_step(lr, rho=0.9, momentum=0.0, centered=False):
    def step(w, g, t, s):
        s["ms"] = rho * s.get("ms", 0.0) + (1 - rho) * g * g
        denominator = s["ms"] + EPS
        if centered:
            s["mg"] = rho * s.get("mg", 0.0) + (1 - rho) * g
            denominator = s["ms"] - s["mg"] ** 2 + EPS
        increment = lr * g / np.sqrt(denominator)
        if momentum:
            s["mom"] = momentum * s.get("mom", 0.0) + increment
            return w - s["mom"]
        return w - increment
    return step


def adagrad_step(lr, initial=0.1):
    def step(w, g, t, s):
        s["acc"] = s.get("acc", initial) + g * g
        return w - lr * g / np.sqrt(s["acc"] + EPS)
    return step


def adadelta_step(lr, rho=0.95):
    def step(w, g, t, s):
        s["eg"] = rho * s.get("eg", 0.0) + (1 - rho) * g * g
        delta = -np.sqrt(s.get("ed", 0.0) + EPS) / np.sqrt(s["eg"] + EPS) * g
        s["ed"] = rho * s.get("ed", 0.0) + (1 - rho) * delta * delta
        return w + lr * delta
    return step


def ftrl_step(lr, power=-0.5, initial=0.1, l1=0.0, l2=0.0, shrinkage=0.0, beta=0.0):
    def step(w, g, t, s):
        n = s.get("n", np.full_like(w, initial))
        n_new = n + g * g
        sigma = (n_new ** -power - n ** -power) / lr
        s["z"] = s.get("z", 0.0) + g + 2 * shrinkage * w - sigma * w
        s["n"] = n_new
        quadratic = n_new ** -power / lr + 2 * (l2 + beta / (2 * lr))
        return np.where(np.abs(s["z"]) <= l1, 0.0, (np.sign(s["z"]) * l1 - s["z"]) / quadratic)
    return step


def lion_step(lr, b1=0.9, b2=0.99):
    def step(w, g, t, s):
        m = s.get("m", 0.0)
        w = w - lr * np.sign(b1 * m + (1 - b1) * g)
        s["m"] = b2 * m + (1 - b2) * g
        return w
    return step


def lamb_step(lr, b1=0.9, b2=0.999):
    def step(w, g, t, s):
        s["m"] = b1 * s.get("m", 0.0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0.0) + (1 - b2) * g * g
        update = (s["m"] / (1 - b1 ** t)) / (np.sqrt(s["v"] / (1 - b2 ** t)) + EPS)
        w_norm, u_norm = np.linalg.norm(w), np.linalg.norm(update)
        ratio = w_norm / u_norm if w_norm > 0 and u_norm > 0 else 1.0
        return w - ratio * lr * update
    return step


def adafactor_step(lr=0.001, decay=-0.8, eps1=1e-30, eps2=1e-3, clip=1.0):
    def rms(x):
        return np.sqrt(np.mean(x * x))

    def step(w, g, t, s):
        rate = min(min(lr, 1 / math.sqrt(t)), 1 / math.sqrt(t))
        alpha = max(eps2, rms(w)) * rate
        beta = 1 - t ** decay
        sq = g * g + eps1
        if w.ndim >= 2:
            s["r"] = beta * s.get("r", 0.0) + (1 - beta) * sq.mean(axis=-1)
            s["c"] = beta * s.get("c", 0.0) + (1 - beta) * sq.mean(axis=-2)
            v = (s["r"] / s["r"].mean(axis=-1, keepdims=True))[..., None] * s["c"][..., None, :]
        else:
            s["v"] = v = beta * s.get("v", 0.0) + (1 - beta) * sq
        u = g / np.sqrt(v)
        return w - alpha * u / max(1.0, rms(u) / clip)
    return step


RULES = [
    ("sgd", lambda: optimizers.SGD(0.1), sgd_step(0.1)),
    ("sgd_momentum", lambda: optimizers.SGD(0.1, momentum=0.9), sgd_step(0.1, 0.9)),
    ("sgd_nesterov", lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
     sgd_step(0.1, 0.9, nesterov=True)),
    ("adam", lambda: optimizers.Adam(0.1), adam_step(0.1)),
    ("adam_betas", lambda: optimizers.Adam(0.05, beta_1=0.8, beta_2=0.9),
     adam_step(0.05, 0.8, 0.9)),
    ("amsgrad", lambda: optimizers.Adam(0.1, amsgrad=True), adam_step(0.1, amsgrad=True)),
    ("adamw", lambda: optimizers.AdamW(0.1, weight_decay=0.5), adam_step(0.1, wd=0.5)),
    ("adamax", lambda: optimizers.Adamax(0.1), adamax_step(0.1)),
    ("nadam", lambda: optimizers.Nadam(0.1), nadam_step(0.1)),
    ("rmsprop", lambda: optimizers.RMSprop(0.1), rmsprop_step(0.1)),
    ("rmsprop_momentum", lambda: optimizers.RMSprop(0.1, momentum=0.5),
     rmsprop_step(0.1, momentum=0.5)),
    ("rmsprop_centered", lambda: optimizers.RMSprop(0.1, rho=0.8, centered=True),
     rmsprop_step(0.1, rho=0.8, centered=True)),
    ("adagrad", lambda: optimizers.Adagrad(0.1), adagrad_step(0.1)),
    ("adagrad_initial", lambda: optimizers.Adagrad(0.1, initial_accumulator_value=1.0),
     adagrad_step(0.1, 1.0)),
    ("adadelta", lambda: optimizers.Adadelta(1.0), adadelta_step(1.0)),
    ("ftrl", lambda: optimizers.Ftrl(0.1), ftrl_step(0.1)),
    ("ftrl_regularized", lambda: optimizers.Ftrl(
        0.1, l1_regularization_strength=0.05, l2_regularization_strength=0.1,
        l2_shrinkage_regularization_strength=0.2, beta=0.3),
     ftrl_step(0.1, l1=0.05, l2=0.1, shrinkage=0.2, beta=0.3)),
    ("lion", lambda: optimizers.Lion(0.1), lion_step(0.1)),
    ("lamb", lambda: optimizers.Lamb(0.1), lamb_step(0.1)),
    ("adafactor", lambda: optimizers.Adafactor(), adafactor_step()),
]


@pytest.mark.parametrize("make, step", [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_first_steps_follow_the_update_rule(make, step):
    assert_steps(run(make()), reference(step, {}))


def test_adafactor_factors_the_second_moment_of_matrices():
    w0 = np.array([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0]])
    grads = [np.array([[0.5, -1.0, 2.0], [0.1, 0.2, 0.3]]),
             np.array([[-0.3, 0.8, 0.1], [1.0, -1.0, 0.5]])]
    optimizer = optimizers.Adafactor(learning_rate=0.5)
    assert_steps(run(optimizer, w0, grads), reference(adafactor_step(0.5), {}, w0, grads))
    shapes = sorted(tuple(v.shape) for v in optimizer.variables)
    assert shapes == [(), (), (2,), (2, 3), (3,)]


def test_float64_variables_get_float64_arithmetic():
    values = run(optimizers.Adam(0.1), dtype=tf.float64)
    rate = float(np.float32(0.1))  # the learning rate variable is float32, like Keras's floatx
    assert_steps(values, reference(adam_step(rate), {}), rtol=1e-12, atol=1e-12)


def test_mixed_dtypes_in_one_step():
    optimizer = optimizers.Adam(0.1)
    a, b = tf.Variable(np.float32(1.0)), tf.Variable(np.float64(1.0))
    optimizer.apply_gradients([(tf.constant(0.5, tf.float32), a),
                               (tf.constant(0.5, tf.float64), b)])
    assert a.dtype == tf.float32 and b.dtype == tf.float64
    np.testing.assert_allclose([a.numpy(), b.numpy()], [0.9, 0.9], rtol=1e-5)


# Adadelta's and Adafactor's default rates move slowly by design; larger ones show descent.
DESCENT = dict((r[0], r[1]) for r in RULES)
DESCENT.update(adadelta=lambda: optimizers.Adadelta(20.0),
               adafactor=lambda: optimizers.Adafactor(1.0))


@pytest.mark.parametrize("name", sorted(DESCENT))
def test_minimizing_a_quadratic_lowers_the_loss(name):
    optimizer = DESCENT[name]()
    w = tf.Variable([3.0, -2.0, 1.5])
    target = tf.constant([1.0, 0.5, -0.5])

    def loss():
        return tf.reduce_sum(tf.square(w - target))

    start = float(loss())
    for _ in range(50):
        optimizer.minimize(loss, [w])
    assert float(loss()) < 0.5 * start


# The shared step ---------------------------------------------------------------------------

def test_clipnorm_clips_each_gradient_by_its_own_norm():
    w, b = tf.Variable([0.0, 0.0]), tf.Variable([0.0])
    optimizers.SGD(1.0, clipnorm=1.0).apply_gradients(
        [(tf.constant([3.0, 4.0]), w), (tf.constant([0.5]), b)])
    np.testing.assert_allclose(w.numpy(), [-0.6, -0.8], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [-0.5], rtol=1e-6)


def test_global_clipnorm_scales_all_gradients_together():
    w, b = tf.Variable([0.0, 0.0]), tf.Variable([0.0])
    optimizers.SGD(1.0, global_clipnorm=2.5).apply_gradients(
        [(tf.constant([3.0, 0.0]), w), (tf.constant([4.0]), b)])
    np.testing.assert_allclose(w.numpy(), [-1.5, 0.0], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [-2.0], rtol=1e-6)


def test_clipvalue_clips_elementwise():
    w = tf.Variable([0.0, 0.0, 0.0])
    optimizers.SGD(1.0, clipvalue=0.5).apply_gradients([(tf.constant([2.0, -3.0, 0.25]), w)])
    np.testing.assert_allclose(w.numpy(), [-0.5, 0.5, -0.25])


def test_only_one_clipping_option():
    with pytest.raises(ValueError, match="Only one of `clipnorm`"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


def test_weight_decay_is_decoupled_and_can_exclude_variables():
    optimizer = optimizers.SGD(0.1, weight_decay=0.5)
    w, bias = tf.Variable([2.0], name="w"), tf.Variable([2.0], name="bias")
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    optimizer.apply_gradients([(tf.constant([1.0]), w), (tf.constant([1.0]), bias)])
    np.testing.assert_allclose(w.numpy(), [2.0 - 2.0 * 0.5 * 0.1 - 0.1], rtol=1e-6)
    np.testing.assert_allclose(bias.numpy(), [1.9], rtol=1e-6)


def test_adamw_needs_a_weight_decay():
    assert optimizers.AdamW().weight_decay == 0.004
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)


def test_exponential_moving_average_and_finalize():
    optimizer = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5)
    w = tf.Variable([0.0])
    optimizer.apply_gradients([(tf.constant([-1.0]), w)])   # w = 1, first average = w
    optimizer.apply_gradients([(tf.constant([-1.0]), w)])   # w = 2, average = 0.5 + 1
    average = [v for v in optimizer.variables if v.path.endswith("_average")][0]
    np.testing.assert_allclose(average.numpy(), [1.5])
    optimizer.finalize_variable_values([w])
    np.testing.assert_allclose(w.numpy(), [1.5])


def test_ema_overwrite_frequency_overwrites_the_weights():
    optimizer = optimizers.SGD(1.0, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)
    w = tf.Variable([0.0])
    optimizer.apply_gradients([(tf.constant([-1.0]), w)])
    assert w.numpy()[0] == 1.0
    optimizer.apply_gradients([(tf.constant([-1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [1.5])


def test_gradient_accumulation_applies_the_mean_every_n_steps():
    optimizer = optimizers.SGD(1.0, gradient_accumulation_steps=2)
    w = tf.Variable([0.0])
    optimizer.apply_gradients([(tf.constant([1.0]), w)])
    assert w.numpy()[0] == 0.0 and int(optimizer.iterations) == 0
    optimizer.apply_gradients([(tf.constant([3.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-2.0])
    assert int(optimizer.iterations) == 1
    optimizer.apply_gradients([(tf.constant([5.0]), w)])
    optimizer.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-5.0])
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        optimizers.SGD(gradient_accumulation_steps=1)


def test_loss_scale_factor_unscales_gradients():
    optimizer = optimizers.SGD(1.0, loss_scale_factor=4.0)
    assert float(optimizer.scale_loss(tf.constant(2.0))) == 8.0
    w = tf.Variable([0.0])
    optimizer.apply_gradients([(tf.constant([8.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-2.0])


def test_constraints_apply_after_the_update():
    w = tf.Variable([0.5, -0.5], constraint=lambda x: tf.clip_by_value(x, 0.0, 1.0))
    optimizers.SGD(1.0).apply_gradients([(tf.constant([-1.0, 0.2]), w)])
    np.testing.assert_allclose(w.numpy(), [1.0, 0.0])


# State -------------------------------------------------------------------------------------

def test_iterations_count_applied_steps():
    optimizer = optimizers.Adam()
    assert optimizer.iterations.dtype == tf.int64 and int(optimizer.iterations) == 0
    w = tf.Variable([1.0])
    returned = optimizer.apply_gradients([(tf.constant([1.0]), w)])
    assert returned is optimizer.iterations and int(optimizer.iterations) == 1


def test_slots_are_created_once_and_named_like_keras():
    optimizer = optimizers.Adam()
    w, b = tf.Variable([[1.0, 2.0]], name="w"), tf.Variable([1.0], name="b")
    for _ in range(2):
        optimizer.apply_gradients([(tf.ones([1, 2]), w), (tf.ones([1]), b)])
    assert [v.path for v in optimizer.variables] == [
        "adam/iteration", "adam/learning_rate", "adam/w_0_momentum", "adam/w_0_velocity",
        "adam/b_0_momentum", "adam/b_0_velocity"]
    assert [v.name for v in optimizer.variables][:2] == ["iteration", "learning_rate"]
    assert all(not v.trainable for v in optimizer.variables)
    assert optimizer.variables[2].shape == (1, 2)


def test_keras_variables_name_slots_by_path():
    from eagerflow.keras.variables import KerasVariable
    kernel = KerasVariable(np.ones((2, 2), np.float32), name="kernel", path="dense/kernel")
    optimizer = optimizers.SGD(momentum=0.5)
    optimizer.build([kernel])
    assert [v.path for v in optimizer.variables][2:] == ["SGD/dense_kernel_momentum"]


def test_build_then_apply_with_gradients_only():
    optimizer = optimizers.SGD(1.0)
    w = tf.Variable([1.0])
    with pytest.raises(ValueError, match="must already be built"):
        optimizer.apply([tf.constant([1.0])])
    optimizer.build([w])
    optimizer.apply([tf.constant([0.5])])
    np.testing.assert_allclose(w.numpy(), [0.5])


def test_unknown_variable_after_build():
    optimizer = optimizers.SGD()
    optimizer.apply_gradients([(tf.constant([1.0]), tf.Variable([1.0]))])
    with pytest.raises(ValueError, match="Unknown variable"):
        optimizer.apply_gradients([(tf.constant([1.0]), tf.Variable([1.0]))])


def test_none_gradients_are_skipped_with_a_warning():
    optimizer = optimizers.SGD(1.0)
    w, unused = tf.Variable([1.0], name="w"), tf.Variable([1.0], name="unused")
    with pytest.warns(UserWarning, match="unused"):
        optimizer.apply_gradients([(tf.constant([1.0]), w), (None, unused)])
    assert w.numpy()[0] == 0.0 and unused.numpy()[0] == 1.0
    with pytest.raises(ValueError, match="No gradients provided"):
        optimizer.apply_gradients([(None, w)])


def test_gradient_shape_must_match_the_variable():
    w = tf.Variable([1.0, 2.0], name="weights")
    with pytest.raises(ValueError, match=r"weights.*\(3,\).*\(2,\)"):
        optimizers.Adam().apply_gradients([(tf.constant([1.0, 2.0, 3.0]), w)])


def test_learning_rate_is_readable_and_assignable():
    optimizer = optimizers.SGD(0.5)
    assert isinstance(optimizer.learning_rate, tf.Variable)
    assert float(optimizer.learning_rate) == 0.5
    optimizer.learning_rate = 0.25
    w = tf.Variable([0.0])
    optimizer.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-0.25])
    assert optimizer.get_config()["learning_rate"] == 0.25


def test_learning_rate_schedule_is_evaluated_at_iterations():
    schedule = schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    optimizer = optimizers.SGD(schedule)
    w = tf.Variable([0.0])
    for _ in range(3):
        optimizer.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-(1.0 + 0.5 + 0.25)])
    np.testing.assert_allclose(float(optimizer.learning_rate), 0.125)
    assert [v.path for v in optimizer.variables] == ["SGD/iteration"]
    with pytest.raises(TypeError, match="not settable"):
        optimizer.learning_rate = 0.1


def test_learning_rate_can_become_a_schedule_or_a_callable():
    optimizer = optimizers.SGD(0.1)
    optimizer.learning_rate = lambda: 0.5
    w = tf.Variable([0.0])
    optimizer.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-0.5])
    assert [v.path for v in optimizer.variables] == ["SGD/iteration"]


def test_learning_rate_must_be_a_float():
    with pytest.raises(ValueError, match="learning_rate"):
        optimizers.Adam(learning_rate=1)


def test_constructor_argument_checks():
    with pytest.raises(ValueError, match="not recognized"):
        optimizers.Adam(lr=0.1)
    with pytest.warns(UserWarning, match="decay"):
        optimizers.Adam(decay=0.1)
    with pytest.raises(ValueError, match="momentum"):
        optimizers.SGD(momentum=-0.5)
    with pytest.raises(ValueError, match="ema_momentum"):
        optimizers.SGD(use_ema=True, ema_momentum=1.5)
    with pytest.raises(ValueError, match="learning_rate_power"):
        optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Lion(beta_1=0.0)


def test_default_names_and_learning_rates():
    defaults = {optimizers.SGD: ("SGD", 0.01), optimizers.Adam: ("adam", 0.001),
                optimizers.RMSprop: ("rmsprop", 0.001), optimizers.AdamW: ("adamw", 0.001),
                optimizers.Nadam: ("nadam", 0.001), optimizers.Adadelta: ("adadelta", 0.001)}
    for cls, (name, rate) in defaults.items():
        optimizer = cls()
        assert optimizer.name == name
        np.testing.assert_allclose(float(optimizer.learning_rate), rate)
    assert optimizers.Adagrad().name.startswith("adagrad")
    assert optimizers.Adam().epsilon == 1e-7


def test_minimize_with_a_tensor_loss_needs_a_tape():
    w = tf.Variable([2.0])
    optimizer = optimizers.SGD(0.25)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w)
    with pytest.raises(ValueError, match="tape"):
        optimizer.minimize(loss, [w])
    optimizer.minimize(loss, [w], tape=tape)
    np.testing.assert_allclose(w.numpy(), [1.0])


def test_set_weights_and_saved_variables_round_trip():
    w = tf.Variable([1.0, 2.0])
    first = optimizers.Adam()
    first.apply_gradients([(tf.constant([1.0, -1.0]), w)])
    store = {}
    first.save_own_variables(store)
    second = optimizers.Adam()
    second.build([w])
    second.load_own_variables(store)
    for a, b in zip(first.variables, second.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    second.set_weights([v.numpy() * 2 for v in first.variables])
    assert int(second.iterations) == 2
    with pytest.raises(ValueError, match="not yet been built"):
        optimizers.Adam().set_weights([])


# Config and lookup -------------------------------------------------------------------------

@pytest.mark.parametrize("name", [r[0] for r in RULES])
def test_get_config_round_trip(name):
    optimizer = dict((r[0], r[1]) for r in RULES)[name]()
    config = optimizer.get_config()
    rebuilt = type(optimizer).from_config(config)
    assert rebuilt.get_config() == config
    assert {"name", "learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue",
            "use_ema", "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
            "gradient_accumulation_steps"} <= set(config)


def test_adam_config_keys():
    config = optimizers.Adam(beta_1=0.8, amsgrad=True).get_config()
    assert config["beta_1"] == 0.8 and config["amsgrad"] is True
    assert config["learning_rate"] == pytest.approx(0.001) and config["epsilon"] == 1e-7


def test_get_resolves_names_case_insensitively():
    assert type(optimizers.get("adam")) is optimizers.Adam
    assert type(optimizers.get("SGD")) is optimizers.SGD
    assert type(optimizers.get("RMSprop")) is optimizers.RMSprop
    assert type(optimizers.get("adamw")) is optimizers.AdamW
    optimizer = optimizers.Nadam()
    assert optimizers.get(optimizer) is optimizer
    assert optimizers.get(None) is None


def test_get_rejects_unknown_identifiers():
    with pytest.raises(ValueError, match=r"'adamm'.*adam, adamax"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(3)


def test_serialize_and_deserialize():
    optimizer = optimizers.RMSprop(0.01, momentum=0.5, centered=True)
    config = optimizers.serialize(optimizer)
    assert config["module"] == "keras.optimizers" and config["class_name"] == "RMSprop"
    assert config["registered_name"] is None
    rebuilt = optimizers.deserialize(config)
    assert type(rebuilt) is optimizers.RMSprop and rebuilt.get_config() == optimizer.get_config()
    assert type(optimizers.get(config)) is optimizers.RMSprop
    assert type(optimizers.deserialize({"class_name": "Adam", "config": {}})) is optimizers.Adam


def test_schedule_learning_rate_survives_serialization():
    optimizer = optimizers.SGD(schedules.PiecewiseConstantDecay([2], [0.5, 0.1]))
    config = optimizers.serialize(optimizer)
    assert config["config"]["learning_rate"]["class_name"] == "PiecewiseConstantDecay"
    rebuilt = optimizers.deserialize(config)
    assert isinstance(rebuilt._learning_rate, schedules.PiecewiseConstantDecay)
    assert rebuilt._learning_rate.get_config() == optimizer._learning_rate.get_config()


def test_custom_optimizers_deserialize_through_custom_objects():
    class Halving(optimizers.Optimizer):
        def __init__(self, learning_rate=0.5, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, gradient * tf.cast(learning_rate, variable.dtype))

    config = optimizers.serialize(Halving(name="halving"))
    assert config["registered_name"] == "Halving"
    with pytest.raises(ValueError, match="Unknown optimizer"):
        optimizers.deserialize(config)
    rebuilt = optimizers.deserialize(config, custom_objects={"Halving": Halving})
    w = tf.Variable([1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rebuilt.apply_gradients([(tf.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [0.5])
