"""keras.optimizers.Adam and AdamW: adaptive moment estimation, AdamW with decoupled
weight decay."""

import eagerflow as tf

from ...ops.training_ops import apply_adam
from .base import Optimizer


class Adam(Optimizer):
    """Adam with the bias correction folded into the step size.

    Per step t: `m += (g - m) * (1 - beta_1)`, `v += (g**2 - v) * (1 - beta_2)`,
    `w -= m * lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) / (sqrt(v) + epsilon)`; with
    `amsgrad`, `v` in the denominator is the running maximum of `v`.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name="adam", **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name,
                         **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, var_list):
        """Creates `momentum` and `velocity` slots per variable (and `velocity_hat` with
        `amsgrad`)."""
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _step_scalars(self, dtype, learning_rate):
        one = self._constant(1.0, dtype)
        step = self._local_step(dtype)
        beta_1_power = tf.pow(self._constant(self.beta_1, dtype), step)
        beta_2_power = tf.pow(self._constant(self.beta_2, dtype), step)
        alpha = tf.cast(learning_rate, dtype) * tf.sqrt(one - beta_2_power) / (one - beta_1_power)
        return (alpha, self._constant(1 - self.beta_1, dtype),
                self._constant(1 - self.beta_2, dtype), self._constant(self.epsilon, dtype))

    def update_step(self, gradient, variable, learning_rate):
        alpha, one_minus_beta_1, one_minus_beta_2, epsilon = self._scalars_for(
            variable, learning_rate)
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        v_hat = self._velocity_hats[index] if self.amsgrad else None
        if self._fuses(gradient, variable):
            apply_adam(variable, m, v, alpha, one_minus_beta_1, one_minus_beta_2, epsilon,
                       gradient, v_hat)
            return
        # m += (g - m) * (1 - beta_1), written with the variable first (same bits, and
        # operators on a variable and a tensor take the fast path).
        self.assign_sub(m, (m - gradient) * one_minus_beta_1)
        self.assign_sub(v, (v - tf.square(gradient)) * one_minus_beta_2)
        if v_hat is not None:
            self.assign(v_hat, tf.maximum(v_hat, v))
            v = v_hat
        self.assign_sub(variable, m * alpha / (tf.sqrt(v) + epsilon))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "amsgrad": self.amsgrad})
        return config


class AdamW(Adam):
    """Adam with decoupled weight decay: each step first does
    `w -= w * weight_decay * learning_rate`, then the Adam update."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name="adamw", **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name,
                         **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: "
                             "weight_decay=None")
