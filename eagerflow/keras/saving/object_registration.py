"""Custom objects known to deserialization: registered globally with
`register_keras_serializable` (under "package>name"), or for a while with
`custom_object_scope`."""

import inspect
import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_scopes = threading.local()


class CustomObjectScope:
    """`with custom_object_scope({"MyLayer": MyLayer}):` makes those objects visible to
    deserialization (load_model, model_from_json, from_config) inside the block; nested
    scopes add to the outer ones."""

    def __init__(self, *custom_objects):
        self.custom_objects = {}
        for objects in custom_objects:
            self.custom_objects.update(objects or {})

    def __enter__(self):
        stack = _scope_stack()
        stack.append({**(stack[-1] if stack else {}), **self.custom_objects})
        return self

    def __exit__(self, *exc_info):
        _scope_stack().pop()


custom_object_scope = CustomObjectScope


def _scope_stack():
    if not hasattr(_scopes, "stack"):
        _scopes.stack = []
    return _scopes.stack


def scoped_objects():
    """The objects of the innermost custom_object_scope ({} outside any)."""
    stack = _scope_stack()
    return stack[-1] if stack else {}


def get_custom_objects():
    """The live global dict of registered objects, by registered name ("package>name");
    objects of custom_object_scope are not in it."""
    return _GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """A decorator registering a class (which must define get_config) or a function under
    "package>name" (name: the object's own name by default), so configs naming it load
    without `custom_objects`."""
    def decorator(obj):
        registered_name = f"{package}>{name if name is not None else obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register a class that does not have a get_config() "
                             f"method: {obj.__name__}.")
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj
    return decorator


def get_registered_name(obj):
    """The name `obj` is registered under, else its own `__name__`."""
    return _GLOBAL_CUSTOM_NAMES.get(obj, obj.__name__)


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered as `name`: first in the current custom_object_scope, then
    globally, then in `custom_objects` and `module_objects`; None if none has it."""
    for objects in (scoped_objects(), _GLOBAL_CUSTOM_OBJECTS, custom_objects or {},
                    module_objects or {}):
        if name in objects:
            return objects[name]
    return None


def find_custom_object(config, custom_objects=None):
    """The custom class or function a serialized dict names, or None: looked up by its
    registered name, then by its class name (a function by its own name), in
    `custom_objects`, the current scope, then the global registry."""
    keys = [config.get("registered_name"), _short_name(config)]
    for objects in (custom_objects or {}, scoped_objects(), _GLOBAL_CUSTOM_OBJECTS):
        for key in keys:
            if isinstance(key, str) and key in objects:
                return objects[key]
    return None


def find_by_short_name(config):
    """The one registered object whose "package>name" ends in the config's bare class (or
    function) name, for configs written without registered names; else None."""
    short = _short_name(config)
    matches = [obj for key, obj in _GLOBAL_CUSTOM_OBJECTS.items()
               if key.rpartition(">")[2] == short]
    return matches[0] if len(matches) == 1 else None


def _short_name(config):
    return config.get("config") if config.get("class_name") == "function" else \
        config.get("class_name")
