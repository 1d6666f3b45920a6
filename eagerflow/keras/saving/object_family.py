"""Keras's get / serialize / deserialize for a family of configurable classes
(initializers, regularizers, constraints), written once."""

import inspect

from .object_registration import find_custom_object, get_registered_name, get_registered_object


class ObjectFamily:
    """The classes of one family, by the names Keras accepts for them.

    `by_name` maps class names and aliases to classes; `by_string` (default:
    the same) is what a bare string identifier may name, e.g. a factory for
    'l1_l2', which means something other than the class L1L2's defaults.
    """

    def __init__(self, kind, module, by_name, by_string=None):
        self.kind = kind
        self.module = module
        self.by_name = by_name
        self.by_string = by_string or by_name

    def _lookup(self, name, table, custom_objects):
        found = get_registered_object(name, custom_objects)
        if found is not None:
            return found
        if name not in table:
            raise ValueError(f"Unknown {self.kind}: {name!r}. Valid names: "
                             f"{', '.join(sorted(self.by_string))}")
        return table[name]

    def serialize(self, obj):
        """{'module', 'class_name', 'config', 'registered_name'} describing `obj` (None for
        None); classes outside the family are named by their own module."""
        if obj is None:
            return None
        cls = type(obj)
        builtin = self.by_name.get(cls.__name__) is cls
        return {"module": self.module if builtin else cls.__module__,
                "class_name": cls.__name__, "config": obj.get_config(),
                "registered_name": None if builtin else get_registered_name(cls)}

    def deserialize(self, config, custom_objects=None):
        """The object a `serialize` dict (or a bare name) describes."""
        if isinstance(config, str):
            return self._lookup(config, self.by_string, custom_objects)()
        if isinstance(config, dict) and "class_name" in config:
            cls = find_custom_object(config, custom_objects) or self._lookup(
                config["class_name"], self.by_name, custom_objects)
            return cls.from_config(config.get("config") or {})
        raise ValueError(f"Could not deserialize a {self.kind} from {config!r}: expected a "
                         f"name or a dict with 'class_name' and 'config'.")

    def get(self, identifier):
        """None, a name, a config dict, a class (instantiated) or a callable (as is)."""
        if identifier is None:
            return None
        if isinstance(identifier, (str, dict)):
            return self.deserialize(identifier)
        if inspect.isclass(identifier):
            return identifier()
        if callable(identifier):
            return identifier
        raise ValueError(f"Could not interpret {self.kind} identifier: {identifier!r}")
