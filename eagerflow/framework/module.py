"""tf.Module: a named container that finds the variables and modules it holds.

`variables`, `trainable_variables` and `submodules` walk the module's attributes in
name order (lists, tuples and dicts item by item, dict keys sorted), yield what this
module holds first, then what each submodule found holds, in the order found (TF's
`_flatten`), each object once. Keras layers held by a module count as submodules: their
weights and sublayers are found too (Keras is never imported here).
"""

import functools
import re
import sys

from . import naming
from .variables import Variable


def _camel_to_snake(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


class ModuleNameScope(naming.name_scope):
    """A module's name scope: re-entered anywhere, it gives the full scope the module was
    made in (`outer/mlp/`), as TF's Module.name_scope does."""

    def __init__(self, path):
        super().__init__(path)
        self._outer = []

    @property
    def name(self):
        return self._name + "/"

    def __enter__(self):
        self._outer.append(naming._scopes[:])
        naming._scopes[:] = [self._name]
        return self._name + "/"

    def __exit__(self, *exc):
        naming._scopes[:] = self._outer.pop()
        return False


class Module:
    """Base class for objects that own variables, tracked through their attributes."""

    def __init__(self, name=None):
        if name is None:
            name = _camel_to_snake(type(self).__name__)
        elif not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid "
                             f"Python identifiers (e.g. a valid class name).")
        self._name = name
        self._scope = ModuleNameScope(naming.scoped_name(name))

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        waiters = self.__dict__.get("_deferred_restorations")
        if waiters is not None:  # a tf.train checkpoint restore waits for this attribute
            waiters.notify(self)

    @property
    def name(self):
        """The name given (or derived from the class); `name_scope.name` adds the scopes
        of enclosing modules."""
        return self._name

    @property
    def name_scope(self):
        return self._scope

    @property
    def variables(self):
        """Variables of this module (by attribute name), then of its submodules."""
        return tuple(self._flatten(predicate=_is_variable))

    @property
    def trainable_variables(self):
        return tuple(self._flatten(predicate=_is_trainable_variable))

    @property
    def non_trainable_variables(self):
        return tuple(self._flatten(predicate=_is_non_trainable_variable))

    @property
    def submodules(self):
        """Modules (and Keras layers) held by this module or, recursively, by those."""
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive=True, predicate=None, attribute_traversal_key=None,
                 with_path=False):
        """The leaves of this module's attributes (and, if `recursive`, of its
        submodules') that match `predicate`, in the order described above; with
        `with_path`, (path tuple, leaf) pairs, not de-duplicated (a module met again
        below itself gives its own leaves only)."""
        return _flatten_module(self, recursive, predicate or (lambda _: True),
                               attribute_traversal_key, with_path, (), {id(self)},
                               frozenset((id(self),)))

    @classmethod
    def with_name_scope(cls, method):
        """Decorates a method to run inside the module's name scope."""
        @functools.wraps(method)
        def method_with_name_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)
        return method_with_name_scope


def _keras_layer_class():
    loaded = sys.modules.get("eagerflow.keras.engine.base_layer")
    return None if loaded is None else loaded.Layer


def _is_keras_layer(value):
    layer_class = _keras_layer_class()
    return layer_class is not None and isinstance(value, layer_class)


def _is_variable(value):
    return isinstance(value, Variable)


def _is_trainable_variable(value):
    return isinstance(value, Variable) and value.trainable


def _is_non_trainable_variable(value):
    return isinstance(value, Variable) and not value.trainable


def _is_module(value):
    return isinstance(value, Module) or _is_keras_layer(value)


def _leaves(value, path):
    """(path, leaf) for each leaf of a nest of lists, tuples and dicts."""
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from _leaves(value[key], path + (key,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _leaves(item, path + (i,))
    else:
        yield path, value


def _attributes(obj, key):
    """(path, leaf) of what `obj` holds directly: a module's attributes; a Keras layer's
    own weights and its sublayers."""
    if isinstance(obj, Module):
        attributes = vars(obj)
        for name in sorted(attributes, key=key):
            yield from _leaves(attributes[name], (name,))
    else:
        own = obj._trainable_variables + obj._non_trainable_variables
        yield from ((("weights", i), v) for i, v in enumerate(own))
        yield from ((("layers", i), layer) for i, layer in enumerate(obj._layers))


def _flatten_module(obj, recursive, predicate, key, with_path, prefix, seen, chain):
    """`chain`: the ids of the modules from the root down to `obj`."""
    submodules = []
    for path, leaf in _attributes(obj, key):
        if not with_path:
            if id(leaf) in seen:
                continue
            seen.add(id(leaf))
        if predicate(leaf):
            yield (prefix + path, leaf) if with_path else leaf
        if recursive and _is_module(leaf):
            submodules.append((prefix + path, leaf))
    for path, submodule in submodules:
        yield from _flatten_module(submodule, id(submodule) not in chain, predicate, key,
                                   with_path, path, seen, chain | {id(submodule)})
