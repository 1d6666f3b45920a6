"""keras.optimizers.Adadelta: steps scaled by the ratio of moving RMS of updates and
gradients."""

import eagerflow as tf

from .base import Optimizer


class Adadelta(Optimizer):
    """Adadelta. Per step, with `rms(x) = sqrt(x + epsilon)`:
    `accumulated_grad = rho * accumulated_grad + (1 - rho) * g**2`,
    `delta = -rms(accumulated_delta_var) * g / rms(accumulated_grad)`,
    `accumulated_delta_var = rho * accumulated_delta_var + (1 - rho) * delta**2`,
    `w += lr * delta`.
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name="adadelta", **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name,
                         **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates `accumulated_grad` and `accumulated_delta_var` slots per variable."""
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"])

    def _step_scalars(self, dtype, learning_rate):
        return (tf.cast(learning_rate, dtype), self._constant(self.rho, dtype),
                self._constant(1 - self.rho, dtype), self._constant(self.epsilon, dtype))

    def update_step(self, grad, variable, learning_rate):
        lr, rho, one_minus_rho, epsilon = self._scalars_for(variable, learning_rate)
        index = self._get_variable_index(variable)
        accumulated_grad = self._accumulated_grads[index]
        accumulated_delta = self._accumulated_delta_vars[index]
        self.assign(accumulated_grad, accumulated_grad * rho + one_minus_rho * tf.square(grad))
        delta = -(tf.sqrt(accumulated_delta + epsilon) * grad
                  / tf.sqrt(accumulated_grad + epsilon))
        self.assign(accumulated_delta, accumulated_delta * rho + one_minus_rho * tf.square(delta))
        self.assign_add(variable, lr * delta)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
