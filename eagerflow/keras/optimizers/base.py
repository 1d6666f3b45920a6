"""keras.optimizers.Optimizer: the state and the step every optimizer shares.

An optimizer holds its state in variables: `iterations` (int64, the number of applied
steps), the learning rate (a float32 variable unless a schedule or a callable gives it)
and the slot variables a subclass creates in `build`, one set per model variable (Adam's
momentum and velocity). `apply` runs one step the Keras 3 way: drop missing gradients,
unscale, clip, decay the weights, call `update_step` per variable, apply constraints,
update the moving averages, count the step. Slots are found by the model variable's id.
"""

import warnings

import eagerflow as tf

from ...framework.tensor import Tensor
from ...graph.ir import SymbolicTensor
from ..engine.naming import to_snake_case, unique_name
from ..variables import KerasVariable
from . import schedules
from .averaging import WeightDecayAndAverages
from .gradients import clip_gradients, filter_empty_gradients
from .serialization import serialize_object


class Optimizer(WeightDecayAndAverages):
    """Base class of Keras optimizers: subclasses define `build`, `update_step`, `get_config`."""

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        _check_options(clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
                       ema_overwrite_frequency, gradient_accumulation_steps)
        self.name = unique_name(to_snake_case(type(self).__name__)) if name is None else name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._scalar_cache = None
        self._constants = {}
        self._slot_variables = []  # (model variable, slot name, slot), for tf.train.Checkpoint
        self.exclude_from_weight_decay()
        self._iterations = self._new_variable(0, "iteration", tf.int64)
        self._learning_rate = self._initial_learning_rate(learning_rate)

    def _initial_learning_rate(self, learning_rate):
        if callable(learning_rate):  # a LearningRateSchedule or a zero-argument function
            return learning_rate
        if not isinstance(learning_rate, float):
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of "
                "LearningRateSchedule, or a callable (that takes in the current iteration value "
                f"and returns the corresponding learning rate value). Received instead: "
                f"learning_rate={learning_rate}")
        return self._new_variable(learning_rate, "learning_rate", tf.float32)

    def _new_variable(self, value, name, dtype):
        variable = KerasVariable(value, name=name, path=f"{self.name}/{name}", trainable=False,
                                 dtype=dtype)
        self._variables.append(variable)
        return variable

    # State --------------------------------------------------------------------------------

    @property
    def iterations(self):
        """The number of applied steps (of whole accumulated steps with gradient accumulation)."""
        if self.gradient_accumulation_steps:
            return tf.math.floordiv(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    @property
    def variables(self):
        """Every variable the optimizer owns: iterations, learning rate, then the slots."""
        return self._variables[:]

    @property
    def learning_rate(self):
        """The current learning rate: the variable, or the schedule's value at `iterations`."""
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            return self._learning_rate(self._iterations)
        if callable(self._learning_rate):
            return self._learning_rate()
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        previous = self._learning_rate
        if callable(learning_rate):
            self._learning_rate = learning_rate
            if isinstance(previous, tf.Variable):
                self._variables = [v for v in self._variables if v is not previous]
        elif isinstance(previous, schedules.LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not settable. "
                "If you need the learning rate to be settable, you should instantiate the "
                "optimizer with a float `learning_rate` argument.")
        else:
            previous.assign(learning_rate)

    def build(self, variables):
        """Creates the per-variable state for `variables`; subclasses add their slots after."""
        variables = list(variables)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(
                variables, "gradient_accumulator")
        self._trainable_variables_indices = {id(v): i for i, v in enumerate(variables)}
        self._trainable_variables = variables
        self.built = True

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     layout=None, name=None):
        """A new non-trainable optimizer variable, named `<optimizer>/<name>`; `initializer`
        is 'zeros', 'ones' or a callable(shape, dtype). `aggregation` and `layout` (for
        distribution) are accepted as in Keras and have no effect here."""
        dtype = tf.as_dtype(dtype or tf.float32)
        if callable(initializer):
            value = initializer(shape, dtype=dtype)
        elif initializer in ("zeros", "ones"):
            value = (tf.zeros if initializer == "zeros" else tf.ones)(shape, dtype)
        else:
            raise ValueError(f"Unknown initializer for an optimizer variable: {initializer!r}. "
                             f"Use 'zeros', 'ones' or a callable(shape, dtype).")
        return self._new_variable(value, name or "variable", dtype)

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A variable shaped and typed like `reference_variable`, named after it: a Keras
        variable `dense/kernel` gives `dense_kernel_<name>`, a tf.Variable `v:0` gives
        `v_0_<name>`."""
        base = getattr(reference_variable, "path", None)
        if base is None:
            base = str(reference_variable.name).replace(":", "_")
        slot = self.add_variable(reference_variable.shape, initializer, reference_variable.dtype,
                                 name=f"{base.replace('/', '_')}_{name or 'var'}")
        self._slot_variables.append((reference_variable, name or "var", slot))
        return slot

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per model variable for `name` (a list of names gives a tuple of lists).
        Slots are created variable by variable, as Keras 3 does: with two names, the first
        variable's two slots, then the second's, which fixes their order in saved files."""
        names = [name] if isinstance(name, str) else list(name)
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            for slot_list, slot_name in zip(slots, names):
                slot_list.append(self.add_variable_from_reference(variable, slot_name,
                                                                  initializer))
        return slots[0] if isinstance(name, str) else slots

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[id(variable)]

    # Updates ------------------------------------------------------------------------------

    def assign(self, variable, value):
        """Sets `variable` to `value`; subclasses update state through these three methods."""
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    def _fuses(self, gradient, variable):
        """Whether `update_step` may run a fused kernel (ops/training_ops.py) instead of
        its ops: the gradient is a dense tensor shaped like the variable, and no subclass
        overrides the assign methods, which would then miss the kernel's updates."""
        cls = type(self)
        if (cls.assign, cls.assign_add, cls.assign_sub) != \
                (Optimizer.assign, Optimizer.assign_add, Optimizer.assign_sub):
            return False
        return isinstance(gradient, (Tensor, SymbolicTensor)) and \
            gradient.shape.is_fully_defined() and \
            gradient.shape.as_list() == variable.shape.as_list()

    def update_step(self, gradient, variable, learning_rate):
        """Updates one model variable (and its slots) from its gradient."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_step`.")

    def _constant(self, value, dtype):
        """`value` as a scalar tensor of `dtype`, made once: tensors are immutable, so a
        hyperparameter's tensor serves every step (a changed hyperparameter gets a new one)."""
        key = (value, dtype)
        tensor = self._constants.get(key)
        if tensor is None:
            tensor = self._constants[key] = tf.constant(value, dtype)
        return tensor

    def _local_step(self, dtype):
        """The number of the step being applied (`iterations + 1`) as a scalar of `dtype`."""
        return tf.cast(self.iterations, dtype) + self._constant(1.0, dtype)

    def _step_scalars(self, dtype, learning_rate):
        """The scalars (tensors of `dtype`) every variable's update in this step shares."""
        return tf.cast(learning_rate, dtype)

    def _scalars_for(self, variable, learning_rate):
        """`_step_scalars` for the variable's dtype, computed once per step and dtype."""
        cache = self._scalar_cache
        if cache is None:
            return self._step_scalars(variable.dtype, learning_rate)
        if variable.dtype not in cache:
            cache[variable.dtype] = self._step_scalars(variable.dtype, learning_rate)
        return cache[variable.dtype]

    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs; returns `iterations`."""
        pairs = list(grads_and_vars)
        self.apply([g for g, _ in pairs], [v for _, v in pairs])
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` (the built ones when None) from `grads`, one step."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first.")
            if len(grads) != len(self._trainable_variables):
                raise ValueError(
                    f"When passing `grads` as a list of gradient tensors, the gradients must "
                    f"match the optimizer's variables one-to-one. Received a list of "
                    f"{len(grads)} gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
                self.built = True
            self._check_variables_are_known(trainable_variables)
        grads, trainable_variables = filter_empty_gradients(grads, trainable_variables)
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        self._backend_apply_gradients(grads, trainable_variables)
        for variable in trainable_variables:
            if variable.constraint is not None:
                variable.assign(variable.constraint(variable))

    def _check_variables_are_known(self, variables):
        for v in variables:
            if id(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for the variables "
                    f"it was originally built with. When working with a new set of variables, "
                    f"you should recreate a new optimizer instance.")

    def _backend_apply_gradients(self, grads, trainable_variables):
        steps = self.gradient_accumulation_steps
        if steps:
            accumulators = [self._accumulated_gradients[self._get_variable_index(v)]
                            for v in trainable_variables]
            # Host-side read of the step count: Python picks the branch (Keras uses a cond).
            if (int(self._iterations) + 1) % steps == 0:
                grads = [(g + a) / steps for g, a in zip(grads, accumulators)]
                self._clip_decay_and_update(grads, trainable_variables)
                for accumulator in self._accumulated_gradients:
                    accumulator.assign(tf.zeros_like(accumulator))
            else:
                for g, accumulator in zip(grads, accumulators):
                    accumulator.assign_add(g)
        else:
            self._clip_decay_and_update(grads, trainable_variables)
        if self.use_ema:
            self._update_moving_averages()
        self._iterations.assign_add(1)

    def _clip_decay_and_update(self, grads, trainable_variables):
        grads = clip_gradients(grads, self.clipnorm, self.global_clipnorm, self.clipvalue)
        self._apply_weight_decay(trainable_variables)
        self._backend_update_step(grads, trainable_variables, self.learning_rate)

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        """Calls `update_step` per variable, with the gradient cast to the variable's dtype."""
        self._scalar_cache = {}
        try:
            for grad, variable in zip(grads, trainable_variables):
                if grad.dtype != variable.dtype:
                    grad = tf.cast(grad, variable.dtype)
                self.update_step(grad, variable, learning_rate)
        finally:
            self._scalar_cache = None

    # Losses and gradients -----------------------------------------------------------------

    def scale_loss(self, loss):
        """`loss` times `loss_scale_factor` (unchanged without one)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def compute_gradients(self, loss, var_list, tape=None):
        """`(gradient, variable)` pairs of `loss` (a tensor recorded on `tape`, or a callable)."""
        if not callable(loss) and tape is None:
            raise ValueError(f"`tape` is required when a `Tensor` loss is passed. Received: "
                             f"loss={loss}, tape={tape}.")
        if tape is None:
            tape = tf.GradientTape()
        if callable(loss):
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
                if callable(var_list):
                    var_list = var_list()
        var_list = list(var_list)
        return list(zip(tape.gradient(loss, var_list), var_list))

    def minimize(self, loss, var_list, tape=None):
        """One step down `loss` (a zero-argument callable, or a tensor recorded on `tape`)."""
        self.apply_gradients(self.compute_gradients(loss, var_list, tape))
        return self._iterations

    # Saving -------------------------------------------------------------------------------

    def set_weights(self, weights):
        """Sets `variables` from a list of values of the same shapes."""
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`.")
        for variable, weight in zip(self._variables, weights):
            shape = tuple(tf.convert_to_tensor(weight).shape)
            if tuple(variable.shape) != shape:
                raise ValueError(f"Optimizer variable {variable.path} has shape "
                                 f"{tuple(variable.shape)} not compatible with provided weight "
                                 f"shape {shape}.")
            variable.assign(weight)

    def save_own_variables(self, store):
        """Writes each variable's value into `store` under its index."""
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Restores variables saved by `save_own_variables` (warns and skips on a mismatch)."""
        if len(store.keys()) != len(self._variables):
            warnings.warn(f"Skipping variable loading for optimizer '{self.name}', because it "
                          f"has {len(self._variables)} variables whereas the saved optimizer has "
                          f"{len(store.keys())} variables.", stacklevel=2)
            return
        for i, variable in enumerate(self._variables):
            variable.assign(store[str(i)])

    def get_config(self):
        """The constructor arguments that recreate this optimizer (without its state)."""
        learning_rate = self._learning_rate
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            learning_rate = schedules.serialize(learning_rate)
        elif isinstance(learning_rate, tf.Variable):
            learning_rate = float(learning_rate.numpy())
        elif callable(learning_rate):
            learning_rate = serialize_object(learning_rate)
        return {"name": self.name, "learning_rate": learning_rate,
                "weight_decay": self.weight_decay, "clipnorm": self.clipnorm,
                "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
                "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates an optimizer from `get_config()`'s output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"],
                                                            custom_objects=custom_objects)
        return cls(**config)


def _check_options(clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
                   ema_overwrite_frequency, gradient_accumulation_steps):
    if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
        raise ValueError(f"`gradient_accumulation_steps` must be an integer >= 2. Received: "
                         f"gradient_accumulation_steps={gradient_accumulation_steps}")
    if use_ema:
        if not 0 <= ema_momentum <= 1:
            raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: "
                             f"ema_momentum={ema_momentum}")
        if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                        or ema_overwrite_frequency < 1):
            raise ValueError(f"`ema_overwrite_frequency` must be an integer >= 1 or None. "
                             f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(f"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                         f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                         f"global_clipnorm={global_clipnorm}")
