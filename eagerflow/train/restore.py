"""Restoring a checkpoint into live objects, now or when they are created.

A restore walks the saved object graph and the live one together from the root, edge
name by edge name, assigning each matched variable its saved value. A saved edge with
no live object yet waits on the live parent, and is matched when the parent creates it
(TF's deferred restoration):

- `tf.train.Checkpoint` and `tf.Module`: when the attribute is set;
- Keras layers: when the weight is added (`add_weight`, during `build`);
- Keras optimizers: when the slot variable is made (`build`, on the first step), and
  their own variables when added.

Values whose variable never appears stay pending; the status object's assertions say
which. Restoring runs eagerly, even when the object is created inside a tf.function trace.
"""

from ..framework import context
from ..framework.module import Module
from ..framework.variables import Variable
from .graph import ObjectGraph, children, is_optimizer, keras_layer_class, slot_variables


class _Waiters:
    """The restorations waiting on one object, told whenever it may have new dependents."""

    def __init__(self):
        self.restorations = []

    def notify(self, owner):
        for restoration in list(self.restorations):
            if restoration.resolve(owner):
                self.restorations.remove(restoration)
        if not self.restorations:
            _uninstall(owner)


class _NotifyingList(list):
    """A list of a Keras object's variables that tells the waiters on its owner of each
    variable appended."""

    def __init__(self, items, owner, waiters):
        super().__init__(items)
        self._owner, self._waiters = owner, waiters

    def append(self, item):
        super().append(item)
        self._waiters.notify(self._owner)


def _watched_lists(owner):
    """The names of the lists a Keras object appends its new variables to."""
    if is_optimizer(owner):
        return ("_variables", "_slot_variables")
    layer_class = keras_layer_class()
    if layer_class is not None and isinstance(owner, layer_class):
        return ("_trainable_variables", "_non_trainable_variables")
    return ()


def _waiters_of(owner):
    """The waiter list of `owner`, installed on first use; None when `owner` cannot tell
    of new dependents."""
    if isinstance(owner, Module) or hasattr(owner, "_checkpoint_dependencies"):
        waiters = owner.__dict__.get("_deferred_restorations")
        if waiters is None:
            waiters = _Waiters()
            object.__setattr__(owner, "_deferred_restorations", waiters)
        return waiters
    names = _watched_lists(owner)
    if not names:
        return None
    current = getattr(owner, names[0])
    if isinstance(current, _NotifyingList):
        return current._waiters
    waiters = _Waiters()
    for name in names:
        object.__setattr__(owner, name, _NotifyingList(getattr(owner, name), owner, waiters))
    return waiters


def _uninstall(owner):
    if "_deferred_restorations" in owner.__dict__:
        object.__delattr__(owner, "_deferred_restorations")
    for name in _watched_lists(owner):
        object.__setattr__(owner, name, list(getattr(owner, name)))


class Restoration:
    """One restore of checkpoint `reader` into the objects reachable from `root`."""

    def __init__(self, reader, root):
        self.reader = reader
        self.root = root
        self.matched = {}      # saved node -> live object
        self._node_of = {}     # id(live object) -> saved node
        self._pending = {}     # id(live parent) -> (parent, {edge name: saved node})
        self._slots = {}       # id(optimizer) -> (optimizer, {(variable node, slot): node})
        self._slot_owners = set()  # saved nodes of model variables that have saved slots
        self._match(0, root)

    def _wait_on(self, owner):
        waiters = _waiters_of(owner)
        if waiters is not None and self not in waiters.restorations:
            waiters.restorations.append(self)

    def _match(self, node, obj):
        if node in self.matched:
            return
        self.matched[node] = obj
        self._node_of[id(obj)] = node
        saved = self.reader.nodes[node]
        if isinstance(obj, Variable):
            if "variable" in saved:
                self._assign(node, obj)
            if node in self._slot_owners:
                for optimizer, _ in list(self._slots.values()):
                    self._restore_slots(optimizer)
            return
        live = {}
        for name, child in children(obj):
            live.setdefault(name, child)
        for name, child_node in saved["children"]:
            if name in live:
                self._match(child_node, live[name])
        # a saved object reached through another edge (a Sequential's layer-<i>, not yet
        # its layer_with_weights-<i>) waits for nothing
        missing = {name: child_node for name, child_node in saved["children"]
                   if name not in live and child_node not in self.matched}
        if missing:
            self._pending.setdefault(id(obj), (obj, {}))[1].update(missing)
            self._wait_on(obj)
        if saved.get("slots") and is_optimizer(obj):
            wanted = {(original, name): slot for original, name, slot in saved["slots"]}
            self._slots[id(obj)] = (obj, wanted)
            self._slot_owners.update(original for original, _ in wanted)
            self._restore_slots(obj)
            if id(obj) in self._slots:
                self._wait_on(obj)

    def _assign(self, node, variable):
        value = self.reader.values[node]
        key = self.reader.nodes[node]["variable"]["key"]
        if tuple(variable.shape.as_list()) != value.shape:
            raise ValueError(
                f"Cannot restore '{key}' from checkpoint {self.reader.prefix}: the checkpoint "
                f"has shape {value.shape}, but the variable {variable.name} has shape "
                f"{tuple(variable.shape.as_list())}.")
        if variable.dtype.name != self.reader.nodes[node]["variable"]["dtype"]:
            raise ValueError(
                f"Cannot restore '{key}' from checkpoint {self.reader.prefix}: the checkpoint "
                f"has dtype {self.reader.nodes[node]['variable']['dtype']}, but the variable "
                f"{variable.name} has dtype {variable.dtype.name}.")
        with context.eager_mode():
            variable.assign(value)

    def _restore_slots(self, optimizer):
        """Restores the slots `optimizer` has made whose model variable is matched."""
        wanted = self._slots[id(optimizer)][1]
        for variable, slot_name, slot in slot_variables(optimizer):
            slot_node = wanted.pop((self._node_of.get(id(variable)), slot_name), None)
            if slot_node is not None:
                self.matched[slot_node] = slot
                self._node_of[id(slot)] = slot_node
                self._assign(slot_node, slot)
        if not wanted:
            del self._slots[id(optimizer)]

    def resolve(self, owner):
        """Matches what `owner` now has of what waits on it; True when nothing is left."""
        entry = self._pending.get(id(owner))
        if entry is not None:
            missing = entry[1]
            for name, child in children(owner):
                node = missing.pop(name, None)
                if node is not None:
                    self._match(node, child)
            if not missing:
                del self._pending[id(owner)]
        if id(owner) in self._slots:
            self._restore_slots(owner)
        return id(owner) not in self._pending and id(owner) not in self._slots

    # What matched ---------------------------------------------------------------------

    def unmatched_saved(self):
        """Paths of saved values and objects not restored (yet)."""
        return [node["path"] for i, node in enumerate(self.reader.nodes)
                if i not in self.matched]

    def unmatched_live(self, skip=()):
        """Paths of live objects reachable from the root that no saved value matched."""
        graph = ObjectGraph(self.root)
        return [graph.paths[i] for i, obj in enumerate(graph.objects)
                if i and id(obj) not in self._node_of and all(obj is not s for s in skip)]

    def matched_beyond(self, trivial):
        """Whether a live object other than the root and `trivial` ones matched."""
        return any(node and all(obj is not t for t in trivial)
                   for node, obj in self.matched.items())
