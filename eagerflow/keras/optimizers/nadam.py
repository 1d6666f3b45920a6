"""keras.optimizers.Nadam: Adam with Nesterov momentum (Dozat's momentum schedule)."""

import eagerflow as tf

from .base import Optimizer


class Nadam(Optimizer):
    """Nadam. The momentum coefficient of step t is `u_t = beta_1 * (1 - 0.5 * 0.96**t)`
    and `u_product` is the running product of the `u_t`. Per step:
    `m += (g - m) * (1 - beta_1)`, `v += (g**2 - v) * (1 - beta_2)`,
    `m_hat = u_{t+1} * m / (1 - u_product * u_{t+1}) + (1 - u_t) * g / (1 - u_product)`,
    `v_hat = v / (1 - beta_2**t)`, `w -= lr * m_hat / (sqrt(v_hat) + epsilon)`.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name="nadam",
                 **kwargs):
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

    def build(self, var_list):
        """Creates `momentum` and `velocity` slots per variable, and the `u_product` scalar."""
        if self.built:
            return
        dtype = var_list[0].dtype if var_list else tf.float32
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        self._u_product = self._new_variable(1.0, "u_product", dtype)

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        dtype = self._u_product.dtype
        decay = 1.0 - 0.5 * tf.pow(self._constant(0.96, dtype), self._local_step(dtype))
        self.assign(self._u_product, self._u_product * self.beta_1 * decay)
        super()._backend_update_step(grads, trainable_variables, learning_rate)

    def _step_scalars(self, dtype, learning_rate):
        one = self._constant(1.0, dtype)
        half = self._constant(0.5, dtype)
        step = self._local_step(dtype)
        decay = self._constant(0.96, dtype)
        beta_1 = self._constant(self.beta_1, dtype)
        beta_2 = self._constant(self.beta_2, dtype)
        u_t = beta_1 * (one - half * tf.pow(decay, step))
        u_next = beta_1 * (one - half * tf.pow(decay, step + one))
        u_product = tf.cast(self._u_product, dtype)
        return (tf.cast(learning_rate, dtype), one - beta_1, one - beta_2, u_next,
                one - u_product * u_next, one - u_t, one - u_product,
                one - tf.pow(beta_2, step), self._constant(self.epsilon, dtype))

    def update_step(self, gradient, variable, learning_rate):
        (lr, one_minus_beta_1, one_minus_beta_2, u_next, next_correction, one_minus_u_t,
         correction, beta_2_correction, epsilon) = self._scalars_for(variable, learning_rate)
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        self.assign_sub(m, (m - gradient) * one_minus_beta_1)  # m += (g - m) * (1 - beta_1)
        self.assign_sub(v, (v - tf.square(gradient)) * one_minus_beta_2)
        m_hat = u_next * m / next_correction + one_minus_u_t * gradient / correction
        v_hat = v / beta_2_correction
        self.assign_sub(variable, m_hat * lr / (tf.sqrt(v_hat) + epsilon))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
