"""tf.compat.v1.variable_scope: the scopes that name and share `get_variable`'s variables.

`with variable_scope("outer"): with variable_scope("inner"): get_variable("w")` makes
`outer/inner/w`. A scope's `reuse` (True: return existing variables, AUTO_REUSE: create
or return; None: inherit) and its default `initializer` and `dtype` apply to the
`get_variable` calls inside it and are inherited by its sub-scopes. A scope also opens
the name scope of the same name, so ops and `tf.Variable`s inside are prefixed too.
Outside every variable scope, `get_variable` takes its prefix from the name scopes
(eagerflow's behaviour before variable scopes existed); inside one, name scopes opened
within it do not change `get_variable`'s names, as in TF.
"""

import contextlib
import enum

from ..framework import naming
from ..framework.module import ModuleNameScope


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """A variable scope's name and defaults (what `get_variable_scope()` returns)."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, dtype=None,
                 name_scope=""):
        self._reuse = reuse
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._dtype = dtype
        self._name_scope = name_scope

    @property
    def name(self):
        return self._name

    @property
    def original_name_scope(self):
        """The name scope opened with this scope, as `outer/inner/` ('' at the root)."""
        return self._name_scope + "/" if self._name_scope else ""

    @property
    def reuse(self):
        return self._reuse

    @property
    def initializer(self):
        return self._initializer

    @property
    def regularizer(self):
        return self._regularizer

    @property
    def dtype(self):
        return self._dtype

    def reuse_variables(self):
        """From now on `get_variable` in this scope returns existing variables."""
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_dtype(self, dtype):
        self._dtype = dtype

    def get_variable(self, name, *args, **kwargs):
        """`tf.compat.v1.get_variable` inside this scope."""
        from .v1_train import get_variable
        with variable_scope(self):
            return get_variable(name, *args, **kwargs)

    def __repr__(self):
        return f"<VariableScope name={self._name!r} reuse={self._reuse!r}>"


_stack = [VariableScope(reuse=False)]
_entered_names = set()  # full names of scopes entered so far (for default_name)


def get_variable_scope():
    """The innermost active variable scope (the unnamed root scope outside all)."""
    return _stack[-1]


def full_variable_name(name):
    """`name` prefixed the way `get_variable` names it (see the module docstring)."""
    scope = _stack[-1].name
    return f"{scope}/{name}" if scope else naming.scoped_name(name)


def variable_name_scope():
    """The name scope to create `get_variable`'s variables in (the current one outside
    every variable scope)."""
    scope = _stack[-1].name
    return ModuleNameScope(scope) if scope else contextlib.nullcontext()


class variable_scope:  # noqa: N801  (TF's public name)
    """A context manager for `get_variable`'s names and sharing (see module docstring);
    `name_or_scope` is a name, a captured VariableScope (re-entered by its full name),
    or None with `default_name` (made unique: `name`, `name_1`, ...)."""

    def __init__(self, name_or_scope, default_name=None, values=None, initializer=None,
                 regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                 reuse=None, dtype=None, use_resource=None, constraint=None,
                 auxiliary_name_scope=True):
        if name_or_scope is None and default_name is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if not (reuse is None or isinstance(reuse, bool) or reuse is AUTO_REUSE):
            raise ValueError(f"The reuse parameter must be True or False or None, or "
                             f"tf.compat.v1.AUTO_REUSE; got {reuse!r}.")
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._overrides = {"initializer": initializer, "regularizer": regularizer,
                           "dtype": dtype}
        self._reuse = reuse
        self._auxiliary_name_scope = auxiliary_name_scope
        self._name_scope = None

    def __enter__(self):
        parent = _stack[-1]
        given = self._name_or_scope
        if isinstance(given, VariableScope):
            base, reuse, name = given, self._reuse or given.reuse, given.name
            scope_path = given._name_scope
            self._name_scope = ModuleNameScope(scope_path) if scope_path else None
        else:
            base, reuse = parent, self._reuse or parent.reuse
            relative = given if given is not None else self._unique(parent, self._default_name)
            name = f"{parent.name}/{relative}" if parent.name else relative
            scope_path = parent._name_scope
            self._name_scope = naming.name_scope(relative)
        if not self._auxiliary_name_scope:
            self._name_scope = None
        if self._name_scope is not None:
            scope_path = self._name_scope.__enter__().rstrip("/")
        settings = {key: value if value is not None else getattr(base, key)
                    for key, value in self._overrides.items()}
        scope = VariableScope(reuse, name=name, name_scope=scope_path, **settings)
        _entered_names.add(name)
        _stack.append(scope)
        return scope

    def __exit__(self, *exc):
        _stack.pop()
        if self._name_scope is not None:
            self._name_scope.__exit__(*exc)
        return False

    @staticmethod
    def _unique(parent, default_name):
        def full(candidate):
            return f"{parent.name}/{candidate}" if parent.name else candidate
        candidate, number = default_name, 0
        while full(candidate) in _entered_names:
            number += 1
            candidate = f"{default_name}_{number}"
        return candidate
