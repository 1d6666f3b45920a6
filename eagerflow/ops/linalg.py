"""Matrix products and inverses: matmul, matvec, matrix_transpose, inv, det.

Matrices are the last two axes; leading (batch) axes broadcast. Transposes
are NumPy views (swapaxes), never copies. The diagonal ops live in
linalg_diag.py, einsum/tensordot in linalg_einsum.py, norms in linalg_norm.py.
"""

import itertools

import numpy as np

from .. import dtypes
from ..framework.convert import convert_to_tensor
from . import array_ops, array_shape, math_binary, math_unary
from . import shape_rules as rules
from .linalg_einsum import einsum, tensordot  # noqa: F401  (tf.linalg names)
from .registry import Sample, defop
from .sample_inputs import rng, uniform

_MATMUL_DTYPES = dtypes.FLOATS | dtypes.COMPLEX | {dtypes.int8, dtypes.uint8, dtypes.int16,
                                                   dtypes.int32, dtypes.int64}
_INVERTIBLE_DTYPES = dtypes.FLOATS | dtypes.COMPLEX


def _dims(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def adjoint_view(x):
    """The conjugate transpose of the last two axes; a view for real dtypes."""
    x = np.swapaxes(x, -1, -2)
    return np.conj(x) if x.dtype.kind == "c" else x


def _lapack(fn, x):
    """fn(x) in x's dtype; LAPACK has no float16, so that runs in float32."""
    if x.dtype == np.float16:
        return fn(x.astype(np.float32)).astype(np.float16)
    return fn(x)


# --- MatMul ---------------------------------------------------------------------------------

def _matmul_kernel(a, b, adjoint_a=False, adjoint_b=False, output_type=None):
    if a.ndim < 2 or b.ndim < 2:
        raise ValueError("both inputs must have rank >= 2")
    if adjoint_a:
        a = adjoint_view(a)
    if adjoint_b:
        b = adjoint_view(b)
    if output_type is None:
        return np.matmul(a, b)
    return np.matmul(a, b, dtype=output_type._np)


def _matmul_rule(a, b, adjoint_a=False, adjoint_b=False, output_type=None):
    for i, spec in enumerate((a, b)):
        if len(spec.shape) < 2:
            raise rules.invalid("MatMul", f"In[{i}] ndims must be >= 2: {len(spec.shape)} "
                                          f"(shape {_dims(spec.shape)})")
    rows, inner_a = a.shape[-2:][::-1] if adjoint_a else a.shape[-2:]
    inner_b, cols = b.shape[-2:][::-1] if adjoint_b else b.shape[-2:]
    if None not in (inner_a, inner_b) and inner_a != inner_b:
        raise rules.invalid("MatMul", f"Matrix size-incompatible: In[0]: {_dims(a.shape)}, "
                                      f"In[1]: {_dims(b.shape)}")
    try:
        batch = rules.broadcast_pair("MatMul", a.shape[:-2], b.shape[:-2])
    except rules.InvalidArgumentError:
        raise rules.invalid("MatMul", f"In[0] and In[1] must have compatible batch "
                                      f"dimensions: {_dims(a.shape)} vs. "
                                      f"{_dims(b.shape)}") from None
    return rules.Spec(batch + (rows, cols), output_type or a.dtype)


def _matmul_grad(inputs, output, dy, adjoint_a=False, adjoint_b=False, output_type=None):
    a, b = inputs
    if adjoint_a:
        grad_a = MatMul(b, dy, adjoint_a=adjoint_b, adjoint_b=True)
    else:
        grad_a = MatMul(dy, b, adjoint_b=not adjoint_b)
    if adjoint_b:
        grad_b = MatMul(dy, a, adjoint_a=True, adjoint_b=adjoint_a)
    else:
        grad_b = MatMul(a, dy, adjoint_a=not adjoint_a)
    return grad_a, grad_b


def _matmul_reference(a, b, adjoint_a=False, adjoint_b=False, output_type=None):
    if adjoint_a:
        a = np.conj(np.moveaxis(a, -1, -2))
    if adjoint_b:
        b = np.conj(np.moveaxis(b, -1, -2))
    if output_type is not None:
        a, b = a.astype(output_type._np), b.astype(output_type._np)
    return (a[..., :, :, None] * b[..., None, :, :]).sum(axis=-2)


def _matmul_samples():
    gen = rng(31)
    cases = [((2, 3), (3, 4), {}), ((3, 2), (3, 4), dict(adjoint_a=True)),
             ((2, 3), (4, 3), dict(adjoint_b=True)),
             ((3, 2), (4, 3), dict(adjoint_a=True, adjoint_b=True)),
             ((2, 2, 3), (3, 2), {}), ((2, 1, 2, 3), (3, 3, 2), {}),
             ((2, 3, 2), (2, 2, 3), dict(adjoint_a=True, adjoint_b=True)),
             ((1, 1), (1, 1), {}), ((0, 3), (3, 2), {}), ((2, 0), (0, 3), {})]
    for shape_a, shape_b, attrs in cases:
        yield Sample((uniform(gen, shape_a), uniform(gen, shape_b)), attrs)
    yield Sample((uniform(gen, (2, 3)).astype(np.float32),
                  uniform(gen, (3, 2)).astype(np.float32)), {}, grad=False)
    yield Sample((gen.integers(-5, 5, (2, 3)).astype(np.int32),
                  gen.integers(-5, 5, (3, 2)).astype(np.int32)), {}, grad=False)
    yield Sample((gen.integers(-100, 100, (2, 3)).astype(np.int8),
                  gen.integers(-100, 100, (3, 2)).astype(np.int8)),
                 dict(output_type=dtypes.int32), grad=False)
    complex_a = (uniform(gen, (3, 2)) + 1j * uniform(gen, (3, 2))).astype(np.complex64)
    complex_b = (uniform(gen, (3, 2)) + 1j * uniform(gen, (3, 2))).astype(np.complex64)
    yield Sample((complex_a, complex_b), dict(adjoint_a=True), grad=False)


MatMul = defop("MatMul", _matmul_kernel, _matmul_rule, grad=_matmul_grad,
               reference=_matmul_reference, samples=_matmul_samples, dtypes=_MATMUL_DTYPES,
               broadcasts=True)


def _is_complex(x):
    dtype = getattr(x, "dtype", None)
    return np.iscomplexobj(x) if dtype is None else dtypes.as_dtype(dtype).is_complex


def _output_type(a, output_type):
    """TF accepts output_type equal to the inputs' dtype, or int32 for (u)int8 inputs."""
    output_type = dtypes.as_dtype(output_type)
    in_type = convert_to_tensor(a).dtype
    if output_type != in_type and not (in_type in (dtypes.int8, dtypes.uint8)
                                       and output_type == dtypes.int32):
        raise TypeError(f"matmul: output_type {output_type.name} is not supported for "
                        f"{in_type.name} inputs; it must be {in_type.name} (or int32 for "
                        f"int8/uint8 inputs).")
    return output_type


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, name=None):
    """The matrix product of the last two axes of `a` and `b` (batch axes broadcast)."""
    if not (transpose_a or transpose_b or adjoint_a or adjoint_b or output_type is not None):
        return MatMul(a, b)
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    # A plain transpose is an adjoint unless the entries are complex.
    if transpose_a and _is_complex(a):
        a, transpose_a = matrix_transpose(a), False
    if transpose_b and _is_complex(b):
        b, transpose_b = matrix_transpose(b), False
    if output_type is not None:
        output_type = _output_type(a, output_type)
    return MatMul(a, b, adjoint_a=bool(adjoint_a or transpose_a),
                  adjoint_b=bool(adjoint_b or transpose_b), output_type=output_type)


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """The matrix-vector product of the last two axes of `a` with the last axis of `b`."""
    b = convert_to_tensor(b)
    if b.ndim < 1:
        raise ValueError(f"matvec: `b` must have rank at least 1; got shape {b.shape}.")
    column = array_shape.expand_dims(b, -1)
    product = matmul(a, column, transpose_a=transpose_a, adjoint_a=adjoint_a)
    return array_shape.squeeze(product, -1)


# --- MatrixTranspose --------------------------------------------------------------------------

def _transpose_kernel(x, conjugate=False):
    if x.ndim < 2:
        raise ValueError("input must have rank >= 2")
    x = np.swapaxes(x, -1, -2)
    return np.conj(x) if conjugate and x.dtype.kind == "c" else x


def _transpose_rule(x, conjugate=False):
    rules.require_rank("MatrixTranspose", x, 2, "the matrix")
    return rules.Spec(tuple(x.shape[:-2]) + tuple(x.shape[-2:][::-1]), x.dtype)


def _transpose_samples():
    gen = rng(32)
    for shape in [(2, 3), (2, 3, 4), (1, 1), (0, 2), (2, 0, 3)]:
        yield Sample((uniform(gen, shape),), dict(conjugate=False))
    yield Sample((uniform(gen, (2, 3)),), dict(conjugate=True))
    complex_x = (uniform(gen, (2, 3)) + 1j * uniform(gen, (2, 3))).astype(np.complex128)
    yield Sample((complex_x,), dict(conjugate=True), grad=False)
    yield Sample((gen.integers(-5, 5, (3, 2)).astype(np.int32),), dict(conjugate=False),
                 grad=False)


def _transpose_reference(x, conjugate=False):
    out = np.empty(x.shape[:-2] + x.shape[-2:][::-1], x.dtype)
    for i, j in itertools.product(range(x.shape[-2]), range(x.shape[-1])):
        out[..., j, i] = np.conj(x[..., i, j]) if conjugate else x[..., i, j]
    return out


MatrixTranspose = defop(
    "MatrixTranspose", _transpose_kernel, _transpose_rule,
    grad=lambda ins, out, dy, conjugate=False: (MatrixTranspose(dy, conjugate=conjugate),),
    reference=_transpose_reference, samples=_transpose_samples)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swaps the last two axes of `a` (conjugating complex entries when asked)."""
    a = convert_to_tensor(a)
    if a.ndim < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received "
                         f"`a` with shape: {a.shape}")
    return MatrixTranspose(a, conjugate=bool(conjugate))


def adjoint(matrix, name=None):
    """The conjugate transpose of the last two axes of `matrix`."""
    return matrix_transpose(matrix, conjugate=True)


# --- MatrixInverse and MatrixDeterminant --------------------------------------------------------

def _square_rule(name, batch_only=False):
    def rule(x, **attrs):
        rules.require_rank(name, x, 2, "the matrix")
        rows, cols = x.shape[-2:]
        if None not in (rows, cols) and rows != cols:
            raise rules.invalid(name, f"Input matrix must be square; got shape {_dims(x.shape)}")
        return rules.Spec(tuple(x.shape[:-2]) if batch_only else tuple(x.shape), x.dtype)
    return rule


def _inverse_kernel(x, adjoint=False):
    if adjoint:
        x = adjoint_view(x)
    try:
        return _lapack(np.linalg.inv, x)
    except np.linalg.LinAlgError:
        raise np.linalg.LinAlgError("Input is not invertible.") from None


def _inverse_grad(inputs, inverse, dy, adjoint=False):
    # d(A^-1) = -A^-1 dA A^-1, so dA = -A^-H dy A^-H (the mirror image when adjoint).
    inner = MatMul(dy, inverse, adjoint_a=adjoint, adjoint_b=not adjoint)
    return (math_unary.negative(MatMul(inverse, inner, adjoint_a=not adjoint)),)


def _invertible_samples(**attrs):
    """Well-conditioned square matrices (diagonally dominant), batched and empty ones too."""
    gen = rng(33)
    for shape in [(2, 2), (3, 3), (2, 3, 3), (1, 1), (0, 2, 2), (0, 0)]:
        yield Sample((uniform(gen, shape) + 3 * np.eye(shape[-1]),), dict(attrs))
    yield Sample(((uniform(gen, (2, 2)) + 3 * np.eye(2)).astype(np.float32),), dict(attrs),
                 grad=False)


def _inverse_samples():
    yield from _invertible_samples(adjoint=False)
    yield from _invertible_samples(adjoint=True)


def _inverse_reference(x, adjoint=False):
    if adjoint:
        x = np.conj(np.moveaxis(x, -1, -2))
    identity = np.broadcast_to(np.eye(x.shape[-1]), x.shape)
    return np.linalg.solve(x, identity) if x.size else np.zeros(x.shape)


MatrixInverse = defop("MatrixInverse", _inverse_kernel, _square_rule("MatrixInverse"),
                      grad=_inverse_grad, reference=_inverse_reference,
                      samples=_inverse_samples,
                      dtypes=_INVERTIBLE_DTYPES)


def inv(input, adjoint=False, name=None):  # noqa: A002  (TF's argument name)
    """The inverse of each square matrix in `input` (of its adjoint when asked)."""
    return MatrixInverse(input, adjoint=bool(adjoint))


def _det_grad(inputs, det_value, dy):
    # d det(A) / dA = det(A) * A^-T (the cofactor matrix), one scale per batch entry.
    scale = array_shape.expand_dims(array_shape.expand_dims(
        math_binary.multiply(dy, det_value), -1), -1)
    return (math_binary.multiply(scale, inv(inputs[0], adjoint=True)),)


def _det_reference(x):
    """Leibniz's formula: a signed sum over permutations."""
    n = x.shape[-1]
    total = np.zeros(x.shape[:-2])
    for perm in itertools.permutations(range(n)):
        inversions = sum(perm[i] > perm[j] for i in range(n) for j in range(i + 1, n))
        term = np.ones(x.shape[:-2])
        for row, col in enumerate(perm):
            term = term * x[..., row, col]
        total = total + (-1) ** inversions * term
    return total


MatrixDeterminant = defop(
    "MatrixDeterminant", lambda x: _lapack(np.linalg.det, x),
    _square_rule("MatrixDeterminant", batch_only=True), grad=_det_grad,
    reference=_det_reference, samples=_invertible_samples, dtypes=_INVERTIBLE_DTYPES)


def det(input, name=None):  # noqa: A002  (TF's argument name)
    """The determinant of each square matrix in `input`."""
    return MatrixDeterminant(input)
