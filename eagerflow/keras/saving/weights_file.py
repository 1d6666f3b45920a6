"""save_weights / load_weights in Keras 3's layout (see layout.py): each layer's own
variables under `layers/<name>/vars/<i>`, a compiled model's optimizer state under
`optimizer/vars/<i>` (iterations, learning rate, then the slots in creation order).

`.weights.h5` files need the optional h5py; `.npz` files need only NumPy and are read
without pickle; load_weights also reads the weights inside a `.keras` file. A file is
serialized in memory, then written to a temporary name beside the target and renamed
into place, so a failed save leaves any previous file as it was.
"""

import io
import os
import warnings
import zipfile

import numpy as np

from ...util.atomic_file import atomic_write_bytes
from . import layout


def weight_groups(model):
    """[(vars path, object name, [arrays])] for the model, its layers and its optimizer:
    what a weights file holds."""
    return [(layout.vars_path(path), obj.name, [v.numpy() for v in layout.own_variables(obj)])
            for path, obj in layout.saveables(model)]


def save_weights(model, filepath, overwrite=True):
    filepath = os.fspath(filepath)
    writer = _format(filepath)
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath} exists and overwrite=False.")
    buffer = io.BytesIO()
    writer(buffer, weight_groups(model))
    atomic_write_bytes(filepath, buffer.getvalue())


def load_weights(model, filepath):
    """Restores the model's weights (and its optimizer's state, when it has an optimizer
    and the file holds that state) from a `.weights.h5`, `.npz` or `.keras` file."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        _format(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"No weights file at {filepath}.")
    if filepath.endswith(".keras"):
        from .keras_file import read_archive
        stored = read_archive(filepath)[1]
    elif filepath.endswith(".npz"):
        stored = read_npz(filepath)
    else:
        stored = read_h5(filepath, filepath)
    assign_weights(model, stored, filepath)
    restore_optimizers(model, stored)


def assign_weights(model, stored, source):
    """Sets the variables of the model and its layers from {dataset path: array}; checks
    every layer first, so a file that does not fit changes nothing and the error names
    the layer, the variable and both shapes."""
    from ..optimizers import Optimizer
    updates = []
    for path, obj in layout.saveables(model):
        if isinstance(obj, Optimizer):
            continue
        variables = layout.own_variables(obj)
        prefix = layout.vars_path(path)
        values = _group(stored, prefix)
        if sorted(values) != sorted(str(i) for i in range(len(variables))):
            raise ValueError(
                f"Layer '{obj.name}' ({type(obj).__name__}) expected {len(variables)} "
                f"variables ({[v.path for v in variables]}), but {source} holds "
                f"{len(values)} under '{prefix}' ({sorted(values, key=_index)}). The file "
                f"was saved from a model of another architecture.")
        for index, variable in enumerate(variables):
            value = values[str(index)]
            expected = tuple(variable.shape.as_list())
            if tuple(value.shape) != expected:
                raise ValueError(
                    f"Layer '{obj.name}' ({type(obj).__name__}): variable '{variable.path}' "
                    f"has shape {expected}, but {source} stores shape {tuple(value.shape)} "
                    f"for it at '{prefix}/{index}'.")
            updates.append((variable, value))
    for variable, value in updates:
        variable.assign(value)


def restore_optimizers(model, stored):
    """Loads each optimizer's state saved in `stored`. An optimizer not yet built is built
    on its model's trainable variables first when the file holds its slots; a count that
    still differs is skipped with a warning, as Keras does."""
    from ..optimizers import Optimizer
    owners = dict(layout.saveables(model))
    for path, obj in layout.saveables(model):
        if not isinstance(obj, Optimizer):
            continue
        state = _group(stored, layout.vars_path(path))
        if not state:
            continue
        if not obj.built and len(state) > len(obj.variables):
            owner = owners[path.rpartition("/")[0]]
            obj.build(owner.trainable_variables)
        problem = _state_mismatch(obj, state)
        if problem:
            warnings.warn(f"Skipping variable loading for optimizer '{obj.name}', because "
                          f"{problem}.", stacklevel=3)
            continue
        for index, variable in enumerate(obj.variables):
            variable.assign(state[str(index)])


def _group(stored, prefix):
    """{dataset name: array} of the datasets directly in the group `prefix`."""
    start = prefix + "/"
    return {key[len(start):]: value for key, value in stored.items()
            if key.startswith(start) and "/" not in key[len(start):]}


def _index(name):
    return int(name) if name.isdigit() else -1


def _state_mismatch(optimizer, state):
    """Why the saved state does not fit the optimizer's variables (None when it does)."""
    variables = optimizer.variables
    if sorted(state) != sorted(str(i) for i in range(len(variables))):
        return (f"it has {len(variables)} variables whereas the saved optimizer has "
                f"{len(state)} variables")
    for index, variable in enumerate(variables):
        shape = tuple(state[str(index)].shape)
        if shape != tuple(variable.shape.as_list()):
            return (f"its variable {index} ({variable.path}) has shape "
                    f"{tuple(variable.shape.as_list())} whereas the saved variable {index} has "
                    f"shape {shape} (the saved slots are in another order)")
    return None


def _format(filepath):
    if filepath.endswith(".weights.h5"):
        return write_h5
    if filepath.endswith(".npz"):
        return _write_npz
    raise ValueError(f"The filename must end in `.weights.h5` (Keras's format, needs h5py) or "
                     f"`.npz`. Received: filepath={filepath}")


def _write_npz(target, groups):
    np.savez(target, **{f"{path}/{index}": value for path, _, values in groups
                        for index, value in enumerate(values)})


def read_npz(path):
    try:
        with np.load(path, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as error:
        raise ValueError(f"Could not read the weights file {path}: it is not a complete "
                         f".npz archive of arrays ({type(error).__name__}: {error}). It may "
                         f"be truncated or corrupt.") from None


def _h5py():
    try:
        import h5py
    except ImportError as error:
        raise ImportError("Keras weight files (`.weights.h5`, and the weights inside `.keras` "
                          "files) need the h5py package, which is not installed: "
                          "`pip install h5py` (or save weights to a `.npz` filename).") from error
    return h5py


def write_h5(target, groups):
    """Each (vars path, name, arrays) as a group holding datasets "0", "1", …, named by
    its `name` attribute (a path or a binary file object)."""
    with _h5py().File(target, "w") as handle:
        for path, name, values in groups:
            group = handle.create_group(path)
            group.attrs["name"] = name
            for index, value in enumerate(values):
                group.create_dataset(str(index), data=value)


def read_h5(source, description):
    """{dataset path: array} of an HDF5 file; `description` names it in errors. Files
    from tf.keras 2.13, which say `_layer_checkpoint_dependencies` for `layers`, read the
    same."""
    h5py = _h5py()
    stored, elsewhere = {}, []

    def collect(name, item):
        if not isinstance(item, h5py.Dataset):
            return
        if item.external or item.is_virtual:  # its data lies in other files of this host
            elsewhere.append(name)
        else:
            stored[name] = item[()]

    try:
        with h5py.File(source, "r") as handle:
            handle.visititems(collect)  # soft and external links are not followed
    except (OSError, RuntimeError, KeyError, ValueError) as error:
        raise ValueError(f"Could not read the weights in {description}: it is not a complete "
                         f"HDF5 file ({error}). It may be truncated or corrupt.") from None
    if elsewhere:
        raise ValueError(f"Refusing to read the weights in {description}: the datasets "
                         f"{elsewhere} take their data from other files, which a weights "
                         f"file must not do.")
    return {key.replace("_layer_checkpoint_dependencies", "layers"): np.asarray(value)
            for key, value in stored.items()}
