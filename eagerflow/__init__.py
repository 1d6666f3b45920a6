"""eagerflow: the TensorFlow 2 API on NumPy. `import eagerflow as tf`.

This module only re-exports; README.md says where things live.
"""

from . import autograph, compat, config, dtypes, errors, train  # noqa: F401
from . import linalg, math, nn, random, summary  # noqa: F401
from .autodiff.custom_gradient import custom_gradient  # noqa: F401
from .compat.v1 import (  # noqa: F401  (TF 1.x's top-level names, for TF1 programs)
    Session, get_default_graph, global_variables_initializer, gradients, placeholder,
    reset_default_graph)
from .autodiff.tape import GradientTape, UnconnectedGradients  # noqa: F401
from .dtypes import (  # noqa: F401
    DType, as_dtype, bool, complex64, complex128, double, float16, float32, float64, half,
    int8, int16, int32, int64, string, uint8, uint16, uint32, uint64)
from .compat.v1 import executing_eagerly  # noqa: F401
from .framework.convert import constant, convert_to_tensor  # noqa: F401
from .framework.module import Module  # noqa: F401
from .framework.naming import name_scope  # noqa: F401
from .framework.tensor import Tensor, is_tensor  # noqa: F401
from .framework.tensor_shape import TensorShape  # noqa: F401
from .framework.tensor_spec import TensorSpec  # noqa: F401
from .framework.variables import Variable  # noqa: F401
from .graph.control_flow import cond, while_loop  # noqa: F401
from .graph.functional_ops import case, foldl, map_fn, scan, switch_case  # noqa: F401
from .graph.ir import Graph  # noqa: F401
from .graph.printing import print_ as print  # noqa: F401,A001  (TF's tf.print)
from .graph.py_function import numpy_function, py_function  # noqa: F401
from .graph.tensor_array import TensorArray  # noqa: F401
from .graph.tracing import function  # noqa: F401
from .linalg import einsum, matmul, norm, tensordot  # noqa: F401
from .math import (  # noqa: F401
    abs, add, add_n, argmax, argmin, cast, ceil, clip_by_value, cos, cosh, cumprod, cumsum,
    divide, equal, exp, floor, floordiv, greater, greater_equal, less, less_equal,
    logical_and, logical_not, logical_or, maximum, minimum, multiply, negative, not_equal, pow,
    realdiv, reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean, reduce_min,
    reduce_prod, reduce_sum, round, sigmoid, sign, sin, sinh, sqrt, square, subtract, tan,
    tanh, truediv, where)
from .ops import tensor_operators  # noqa: F401  (installs Tensor's Python operators)
from .ops.array_combine import concat, split, tile  # noqa: F401
from .ops.array_ops import (  # noqa: F401
    broadcast_to, identity, one_hot, reshape, stack, stop_gradient, transpose, unstack)
from .ops.array_pad import pad  # noqa: F401
from .ops.array_reorder import repeat, reverse, roll  # noqa: F401
from .ops.array_shape import (  # noqa: F401
    expand_dims, meshgrid, rank, sequence_mask, shape, shape_n, size, squeeze)
from .ops.creation import (  # noqa: F401
    eye, fill, linspace, ones, ones_like, range, zeros, zeros_like)
from .ops.gather import boolean_mask, gather  # noqa: F401
from .ops.indexing import slice, strided_slice  # noqa: F401
from .ops.scatter import (  # noqa: F401
    gather_nd, scatter_nd, tensor_scatter_nd_add, tensor_scatter_nd_update)
from .ops.sorting import argsort, sort, unique  # noqa: F401
from .util import nest  # noqa: F401

newaxis = None


_ON_FIRST_USE = frozenset(("data", "keras"))


def __getattr__(name):
    """`tf.keras` and `tf.data` load on first use, so `import eagerflow` stays fast."""
    if name in _ON_FIRST_USE:
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'eagerflow' has no attribute {name!r}")
