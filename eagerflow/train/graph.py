"""The object graph a checkpoint saves: trackable objects joined by named edges.

Edges (the path scheme that names every saved value):

- `tf.train.Checkpoint`: its keyword arguments and attributes by name, its root object's
  edges when it has one, and `save_counter` once that exists;
- `tf.Module`: its attributes by name;
- lists, tuples and dicts holding trackables: their items by index or key;
- Keras layers: their own weights by weight name (`kernel`, `bias`; a repeated name
  gets `_1`, `_2`, ... in creation order); Sequential and Functional models their layers
  as `layer_with_weights-<i>` (those with weights) and `layer-<i>` (every layer of
  `model.layers`, so that an unbuilt model matches too); other layers and subclassed
  models the layers held in their attributes, by attribute name; a compiled model its
  `optimizer`;
- Keras optimizers: their own variables by name (`iteration`, `learning_rate`), and one
  slot per (model variable, slot name), saved only when the model variable is saved too.

A value's checkpoint key is its first path from the root, breadth first, plus
`/.ATTRIBUTES/VARIABLE_VALUE` (`model/layer_with_weights-0/kernel/.ATTRIBUTES/...`); a
slot's is `<variable path>/.OPTIMIZER_SLOT/<optimizer path>/<slot name>/.ATTRIBUTES/...`.
Keras is never imported here: a Keras object can only exist once Keras is loaded.
"""

import sys

from ..framework.module import Module
from ..framework.variables import Variable

VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


def _keras_class(module, name):
    loaded = sys.modules.get(f"eagerflow.keras.{module}")
    return getattr(loaded, name, None)


def keras_layer_class():
    """keras.layers.Layer, or None while Keras is not loaded."""
    return _keras_class("engine.base_layer", "Layer")


def keras_optimizer_class():
    """keras.optimizers.Optimizer, or None while Keras is not loaded."""
    return _keras_class("optimizers.base", "Optimizer")


def _is_instance(value, cls):
    return cls is not None and isinstance(value, cls)


def is_optimizer(value):
    return _is_instance(value, keras_optimizer_class())


def is_trackable(value):
    """Whether `value` has state a checkpoint saves (directly or in its items)."""
    if isinstance(value, (Variable, Module)) or hasattr(value, "_checkpoint_dependencies"):
        return True
    if isinstance(value, (list, tuple)):
        return any(is_trackable(item) for item in value)
    if isinstance(value, dict):
        return any(is_trackable(item) for item in value.values())
    return _is_instance(value, keras_layer_class()) or is_optimizer(value)


def children(obj):
    """[(edge name, child)] of `obj`, in a deterministic order."""
    if isinstance(obj, Variable):
        return []
    if hasattr(obj, "_checkpoint_dependencies"):
        return obj._checkpoint_dependencies()
    if isinstance(obj, (list, tuple)):
        return [(str(i), item) for i, item in enumerate(obj) if is_trackable(item)]
    if isinstance(obj, dict):
        return [(str(key), item) for key, item in obj.items() if is_trackable(item)]
    if isinstance(obj, Module):
        attributes = vars(obj)
        return [(name, attributes[name]) for name in sorted(attributes)
                if is_trackable(attributes[name])]
    if _is_instance(obj, keras_layer_class()):
        return _layer_children(obj)
    if is_optimizer(obj):
        return _optimizer_children(obj)
    return []


def _numbered(variables):
    """[(key, variable)]: each variable's own name, repeats numbered in order."""
    used, named = {}, []
    for variable in variables:
        base = variable.name.split(":")[0].rsplit("/", 1)[-1]
        count = used.get(base, 0)
        used[base] = count + 1
        named.append((base if count == 0 else f"{base}_{count}", variable))
    return named


def _layer_children(layer):
    edges = _numbered(layer._trainable_variables + layer._non_trainable_variables)
    sequential = _keras_class("engine.sequential", "Sequential")
    if isinstance(layer, sequential) or getattr(layer, "_graph", None) is not None:
        sublayers = [sub for sub in layer.layers if sub is not layer]
        with_weights = [sub for sub in sublayers if sub.weights]
        edges += [(f"layer_with_weights-{i}", sub) for i, sub in enumerate(with_weights)]
        edges += [(f"layer-{i}", sub) for i, sub in enumerate(sublayers)]
    else:
        layer_class = keras_layer_class()
        untracked = sys.modules["eagerflow.keras.engine.base_layer"]._UNTRACKED_ATTRIBUTES
        for name, value in vars(layer).items():
            if name not in untracked and name != "optimizer" and _holds(value, layer_class):
                edges.append((name, value))
    if is_optimizer(getattr(layer, "optimizer", None)):
        edges.append(("optimizer", layer.optimizer))
    return edges


def _holds(value, cls):
    if isinstance(value, cls):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds(item, cls) for item in value)
    if isinstance(value, dict):
        return any(_holds(item, cls) for item in value.values())
    return False


def slot_variables(optimizer):
    """[(model variable, slot name, slot variable)] of a Keras optimizer."""
    return optimizer._slot_variables


def _optimizer_children(optimizer):
    slots = {id(slot) for _, _, slot in slot_variables(optimizer)}
    return _numbered([v for v in optimizer.variables if id(v) not in slots])


class ObjectGraph:
    """The objects reachable from `root`, each once, breadth first: `objects[i]` is node
    i, `paths[i]` its first path, `edges[i]` its [(name, node)], `slots[i]` (optimizers
    only) its [(model variable node, slot name, slot node)]."""

    def __init__(self, root):
        self.objects, self.paths, self.edges, self.slots = [root], [""], [], {}
        self._index = {id(root): 0}
        position = 0
        while position < len(self.objects):
            parent = self.objects[position]
            self.edges.append([(name, self._add(child, position, name))
                               for name, child in children(parent)])
            position += 1
        for node, obj in enumerate(list(self.objects)):
            if is_optimizer(obj):
                self._add_slots(node, obj)

    def _add(self, obj, parent, name):
        node = self._index.get(id(obj))
        if node is None:
            node = self._index[id(obj)] = len(self.objects)
            self.objects.append(obj)
            self.paths.append(f"{self.paths[parent]}/{name}" if parent else name)
        return node

    def _add_slots(self, node, optimizer):
        for variable, slot_name, slot in slot_variables(optimizer):
            original = self._index.get(id(variable))
            if original is None:
                continue
            slot_node = self._index.get(id(slot))
            if slot_node is None:
                slot_node = self._index[id(slot)] = len(self.objects)
                self.objects.append(slot)
                self.paths.append(f"{self.paths[original]}/.OPTIMIZER_SLOT/"
                                  f"{self.paths[node]}/{slot_name}")
                self.edges.append([])
            self.slots.setdefault(node, []).append((original, slot_name, slot_node))

    def node_of(self, obj):
        return self._index.get(id(obj))
