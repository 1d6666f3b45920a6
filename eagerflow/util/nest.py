"""Nested structures (`tf.nest`): lists, tuples, namedtuples and dicts of leaves.

Dicts flatten in sorted-key order, as in TF, so two dicts with the same keys
line up whatever order they were written in. With `expand_composites=True`,
composite values (a TensorArray) count as structures too: they flatten into the
tensors that hold their state (`_to_components()`) and are rebuilt around new
ones (`template._from_components(tensors)`).
"""


def is_nested(structure):
    return isinstance(structure, (list, tuple, dict))


def is_composite(value):
    """Whether `value` is a composite: an object whose state is a list of tensors."""
    return hasattr(type(value), "_to_components")


def _expands(structure, expand_composites):
    return is_nested(structure) or (expand_composites and is_composite(structure))


def _children(structure):
    if isinstance(structure, dict):
        return [structure[k] for k in sorted(structure)]
    if is_composite(structure):
        return list(structure._to_components())
    return list(structure)


def flatten(structure, expand_composites=False):
    if isinstance(structure, (list, tuple)):
        children = structure
    elif isinstance(structure, dict) or (expand_composites and is_composite(structure)):
        children = _children(structure)
    else:
        return [structure]
    flat = []
    for child in children:
        flat.extend(flatten(child, expand_composites))
    return flat


def _rebuild(template, children):
    if is_composite(template):
        return template._from_components(children)
    if isinstance(template, dict):
        by_key = dict(zip(sorted(template), children))
        return type(template)((k, by_key[k]) for k in template)
    if isinstance(template, tuple) and hasattr(template, "_fields"):
        return type(template)(*children)
    return type(template)(children)


def _pack(template, leaves, index, expand_composites):
    if not _expands(template, expand_composites):
        return leaves[index], index + 1
    children = []
    for child in _children(template):
        packed, index = _pack(child, leaves, index, expand_composites)
        children.append(packed)
    return _rebuild(template, children), index


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    flat_sequence = list(flat_sequence)
    expected = len(flatten(structure, expand_composites))
    if expected != len(flat_sequence):
        raise ValueError(f"Could not pack sequence: structure has {expected} elements, but "
                         f"flat_sequence has {len(flat_sequence)} elements.")
    return _pack(structure, flat_sequence, 0, expand_composites)[0]


def map_aligned(func, structure, other):
    """func(part, other_part) where `structure` and `other` line up: they descend together
    while both are nested; where either is a leaf, func gets the two parts there (a leaf
    of `structure` may meet a whole structure of `other`). Rebuilt like `structure`."""
    if not (is_nested(structure) and is_nested(other)):
        return func(structure, other)
    return _rebuild(structure, [map_aligned(func, s, o) for s, o in
                                zip(_children(structure), _children(other))])


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    if is_nested(nest1) != is_nested(nest2):
        raise ValueError(f"The two structures don't have the same nested structure: "
                         f"{nest1!r} and {nest2!r}")
    if not is_nested(nest1):
        return
    if check_types and type(nest1) is not type(nest2):
        raise TypeError(f"The two structures don't have the same sequence type: "
                        f"{type(nest1).__name__} and {type(nest2).__name__}")
    if isinstance(nest1, dict) and sorted(nest1) != sorted(nest2):
        raise ValueError(f"The two dictionaries don't have the same keys: {sorted(nest1)} "
                         f"and {sorted(nest2)}")
    children1, children2 = _children(nest1), _children(nest2)
    if len(children1) != len(children2):
        raise ValueError(f"The two structures don't have the same number of elements: "
                         f"{len(children1)} and {len(children2)}")
    for a, b in zip(children1, children2):
        assert_same_structure(a, b, check_types)


def map_structure(func, *structures, **kwargs):
    for other in structures[1:]:
        assert_same_structure(structures[0], other, kwargs.get("check_types", True))
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [func(*leaves) for leaves in zip(*flats)])
