"""NumPy kernels for sliding-window ops: convolution and pooling.

Every kernel takes NHWC arrays and explicit spatial paddings
`((top, bottom), (left, right))`; the ops layer resolves "SAME"/"VALID" and
data formats. The two workhorses:

- `windows` (im2col): a read-only strided view [N, oh, ow, kh, kw, C] of every
  window of the padded input, so a convolution is one GEMM on its reshape;
- `fold_windows` (col2im): the adjoint, summing per-kernel-position slabs back
  into the input with one strided add per position (kh * kw adds).

Pooling works on the same slabs (`kernel_positions`): a window max is kh * kw
elementwise maxima of strided views, and its gradient kh * kw masked adds.

Kernels that make several passes over their data (pooling and its gradient) make them
batch chunk by batch chunk (`batch_chunks`), so each chunk's passes run in cache instead
of streaming the whole batch through memory once per pass.

float16 is computed in float32 (NumPy has no fast half-precision GEMM) and
cast back, so every kernel returns its input's dtype.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided

NO_DILATION = (1, 1)
CHUNK_BYTES = 1 << 20  # a batch chunk's input: its passes stay in a core's L2 cache


def batch_chunks(array):
    """Slices of `array`'s batch (first) axis holding about CHUNK_BYTES each."""
    image = array[0].nbytes if len(array) else 1
    step = max(1, CHUNK_BYTES // max(1, image))
    return [slice(start, start + step) for start in range(0, len(array), step)]


def output_size(padded, k, stride, dilation=1):
    """Window positions along a padded axis of length `padded` (TF's windowed output size)."""
    numerator = padded - ((k - 1) * dilation + 1) + stride
    size = numerator // stride if numerator >= 0 else -(-numerator // stride)
    if size < 0:
        raise ValueError(f"a window of {k} with dilation {dilation} does not fit in {padded} "
                         f"elements: computed output size would be negative")
    return size


def _compute(array):
    return array.astype(np.float32) if array.dtype == np.float16 else array


def _gemm(a, b):
    """a @ b, computed in float32 for float16 inputs."""
    return np.matmul(_compute(a), _compute(b)).astype(a.dtype, copy=False)


def pad_spatial(x, pads, value=0):
    """x [N, H, W, C] padded on H and W by `pads` with `value`."""
    (top, bottom), (left, right) = pads
    if not (top or bottom or left or right):
        return x
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


def windows(padded, ksize, strides, dilations=NO_DILATION):
    """im2col as a view: [N, oh, ow, kh, kw, C], element [n, y, x, i, j, c] being
    padded[n, y*sh + i*dh, x*sw + j*dw, c]."""
    n, height, width, c = padded.shape
    (kh, kw), (sh, sw), (dh, dw) = ksize, strides, dilations
    oh, ow = output_size(height, kh, sh, dh), output_size(width, kw, sw, dw)
    s_n, s_h, s_w, s_c = padded.strides
    return as_strided(padded, (n, oh, ow, kh, kw, c),
                      (s_n, s_h * sh, s_w * sw, s_h * dh, s_w * dw, s_c), writeable=False)


def window_rows(view):
    """The im2col matrix [N * oh * ow, kh * kw * C] of a `windows` view, copied out. With
    one channel (a grey image) NumPy's copy of the view moves one number at a time, so
    the kernel positions are copied as kh * kw strided slabs instead, 2.5x faster."""
    n, oh, ow, kh, kw, c = view.shape
    if c != 1:
        return view.reshape(n * oh * ow, kh * kw * c)
    rows = np.empty((n, oh, ow, kh * kw), view.dtype)
    for i in range(kh):
        for j in range(kw):
            rows[..., i * kw + j] = view[:, :, :, i, j, 0]
    return rows.reshape(n * oh * ow, kh * kw)


def kernel_positions(ksize, strides, out_hw, dilations=NO_DILATION):
    """For each kernel position (i, j), row-major, the (rows, cols) slices of the padded
    input that it reads at every output position: padded[:, rows, cols] is [N, oh, ow, C]."""
    def axis_slice(start, count, step):
        return slice(start, start + (count - 1) * step + 1 if count else start, step)

    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = ksize, strides, dilations, out_hw
    return [(axis_slice(i * dh, oh, sh), axis_slice(j * dw, ow, sw))
            for i in range(kh) for j in range(kw)]


def fold_windows(cols, padded_shape, ksize, strides, dilations=NO_DILATION):
    """col2im, the adjoint of `windows`: adds cols [kh*kw, N, oh, ow, C] (one slab per
    kernel position, row-major) into a zero array of `padded_shape`, one strided add each."""
    out = np.zeros(padded_shape, cols.dtype)
    for slab, (rows, columns) in zip(cols, kernel_positions(ksize, strides, cols.shape[2:4],
                                                            dilations)):
        out[:, rows, columns, :] += slab
    return out


def _fold_into_input(cols, ksize, input_shape, strides, dilations, pads):
    """Folds per-position window gradients [kh*kw, N, oh, ow, C] back onto an input of
    `input_shape`, without its padding."""
    (top, bottom), (left, right) = pads
    n, height, width, c = input_shape
    padded_shape = (n, height + top + bottom, width + left + right, c)
    expected = (n,) + tuple(output_size(padded_shape[1 + a], ksize[a], strides[a],
                                        dilations[a]) for a in (0, 1)) + (c,)
    if cols.shape[1:] != expected:
        raise ValueError(f"out_backprop windows {cols.shape[1:]} do not match an input of "
                         f"shape {tuple(input_shape)}, which gives {expected}")
    return _crop(fold_windows(cols, padded_shape, ksize, strides, dilations), pads,
                 (height, width))


def _require_windows(cols, dy):
    if cols.shape[:3] != dy.shape[:3]:
        raise ValueError(f"out_backprop has shape {dy.shape} but the input gives "
                         f"{cols.shape[:3]} windows")


def conv2d(x, w, strides, dilations, pads, bias=None, relu=False):
    """out[n, y, x, o] = sum over (i, j, c) of window[n, y, x, i, j, c] * w[i, j, c, o],
    plus `bias` and then ReLU when given; batch chunk by chunk, so each chunk's im2col
    matrix, product, bias and ReLU stay in cache."""
    kh, kw, c, o = w.shape
    cols = windows(pad_spatial(x, pads), (kh, kw), strides, dilations)
    n, oh, ow = cols.shape[:3]
    matrix = w.reshape(kh * kw * c, o)
    direct = x.dtype in (np.float32, np.float64) and w.dtype == x.dtype
    # The bias repeated over one image: adding it image by image runs long contiguous
    # rows, where adding the vector itself loops over o channels at a time (4x slower).
    image_bias = None if bias is None else np.tile(bias, oh * ow)
    out = np.empty((n, oh, ow, o), x.dtype)
    for chunk in batch_chunks(cols):
        part = out[chunk]
        rows = window_rows(cols[chunk])
        if direct:
            np.matmul(rows, matrix, out=part.reshape(-1, o))
        else:
            part.reshape(-1, o)[...] = _gemm(rows, matrix)
        if image_bias is not None:
            part.reshape(len(part), -1).__iadd__(image_bias)
        if relu:
            np.maximum(part, 0, out=part)
    return out


def conv2d_backprop_input(w, dy, input_shape, strides, dilations, pads):
    """The gradient of conv2d with respect to its input: a GEMM per kernel position (one
    batched matmul, so each position's slab is contiguous), then col2im."""
    kh, kw, c, o = w.shape
    n, oh, ow = dy.shape[:3]
    per_position = np.swapaxes(w.reshape(kh * kw, c, o), 1, 2)
    cols = _gemm(dy.reshape(1, n * oh * ow, dy.shape[3]), per_position)
    return _fold_into_input(cols.reshape(kh * kw, n, oh, ow, c), (kh, kw), input_shape,
                            strides, dilations, pads)


def conv2d_backprop_filter(x, dy, filter_shape, strides, dilations, pads):
    """The gradient of conv2d with respect to its filter: im2col, then one GEMM; float32
    and float64 batch chunk by chunk (a product per chunk, summed), so each chunk's
    im2col matrix is read back from cache."""
    kh, kw, c, o = filter_shape
    cols = windows(pad_spatial(x, pads), (kh, kw), strides, dilations)
    _require_windows(cols, dy)
    n, oh, ow = cols.shape[:3]
    if x.dtype not in (np.float32, np.float64) or dy.dtype != x.dtype:
        dw = _gemm(window_rows(cols).T, dy.reshape(n * oh * ow, dy.shape[3]))
        return dw.reshape(kh, kw, c, o)
    dw = np.zeros((kh * kw * c, o), x.dtype)
    for chunk in batch_chunks(cols):
        dw += window_rows(cols[chunk]).T @ dy[chunk].reshape(-1, o)
    return dw.reshape(kh, kw, c, o)


def depthwise_conv2d(x, w, strides, dilations, pads):
    """out[n, y, x, c*M + m] = sum over (i, j) of window[n, y, x, i, j, c] * w[i, j, c, m]."""
    kh, kw, c, m = w.shape
    cols = windows(pad_spatial(x, pads), (kh, kw), strides, dilations)
    n, oh, ow = cols.shape[:3]
    out = np.einsum("nyxijc,ijcm->nyxcm", _compute(cols), _compute(w))
    return out.reshape(n, oh, ow, c * m).astype(x.dtype, copy=False)


def depthwise_conv2d_backprop_input(w, dy, input_shape, strides, dilations, pads):
    """The gradient of depthwise_conv2d with respect to its input."""
    kh, kw, c, m = w.shape
    n, oh, ow = dy.shape[:3]
    dy = _compute(dy).reshape(n, oh, ow, c, m)
    per_position = _compute(w).reshape(kh * kw, c, m)
    cols = np.einsum("nyxcm,kcm->knyxc", dy, per_position).astype(w.dtype, copy=False)
    return _fold_into_input(cols, (kh, kw), input_shape, strides, dilations, pads)


def depthwise_conv2d_backprop_filter(x, dy, filter_shape, strides, dilations, pads):
    """The gradient of depthwise_conv2d with respect to its filter."""
    kh, kw, c, m = filter_shape
    cols = windows(pad_spatial(x, pads), (kh, kw), strides, dilations)
    _require_windows(cols, dy)
    n, oh, ow = cols.shape[:3]
    dy = _compute(dy).reshape(n, oh, ow, c, m)
    return np.einsum("nyxijc,nyxcm->ijcm", _compute(cols), dy).astype(x.dtype, copy=False)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _pooled_shape(shape, ksize, strides, pads):
    (top, bottom), (left, right) = pads
    n, height, width, c = shape
    return (n, output_size(height + top + bottom, ksize[0], strides[0]),
            output_size(width + left + right, ksize[1], strides[1]), c)


def _require_pooled(what, array, pooled_shape):
    if array.shape != pooled_shape:
        raise ValueError(f"{what} has shape {array.shape}, but pooling gives {pooled_shape}")


def _window_reduce(padded, positions, ufunc, out=None):
    """ufunc folded over the kernel positions' slabs of `padded`: [N, oh, ow, C]."""
    (rows, cols), rest = positions[0], positions[1:]
    if out is None:
        out = padded[:, rows, cols, :].copy()
    else:
        np.copyto(out, padded[:, rows, cols, :])
    for rows, cols in rest:
        ufunc(out, padded[:, rows, cols, :], out=out)
    return out


def max_pool(x, ksize, strides, pads):
    """The maximum of each window; padding never wins (it is the lowest value)."""
    pooled_shape = _pooled_shape(x.shape, ksize, strides, pads)
    positions = kernel_positions(ksize, strides, pooled_shape[1:3])
    out = np.empty(pooled_shape, x.dtype)
    for chunk in batch_chunks(x):
        _window_reduce(pad_spatial(x[chunk], pads, _lowest(x.dtype)), positions, np.maximum,
                       out[chunk])
    return out


def _first_max_hits(x, pooled, ksize, strides, pads):
    """(rows, cols, hit) per kernel position: `hit` [N, oh, ow, C] marks the windows whose
    first maximum (row-major, like TF) sits at that position; `pooled` is max_pool(x)."""
    padded = pad_spatial(x, pads, _lowest(x.dtype))
    positions = kernel_positions(ksize, strides, pooled.shape[1:3])
    taken = None
    for index, (rows, cols) in enumerate(positions):
        hit = np.equal(padded[:, rows, cols, :], pooled)
        if taken is None:
            taken = hit.copy()
        else:
            np.greater(hit, taken, out=hit)  # a maximum here, and none before
            if index < len(positions) - 1:
                taken |= hit
        yield rows, cols, hit


def _crop(padded, pads, hw):
    (top, _), (left, _) = pads
    return padded[:, top:top + hw[0], left:left + hw[1], :]


def _padded_zeros(shape, pads, dtype):
    (top, bottom), (left, right) = pads
    n, height, width, c = shape
    return np.zeros((n, height + top + bottom, width + left + right, c), dtype)


def max_pool_grad(x, pooled, dy, ksize, strides, pads):
    """Routes each window's gradient to the window's first maximum in x. (Masking is a
    branch-free multiply, several times faster than np.where on random masks; a NaN or
    inf in dy therefore also reaches the window's other positions, as NaN.) Windows that
    do not overlap write their slabs directly; ones that tile the input need no zeros."""
    pooled_shape = _pooled_shape(x.shape, ksize, strides, pads)
    _require_pooled("out_backprop", dy, pooled_shape)
    _require_pooled("orig_output", pooled, pooled_shape)
    overlapping = strides[0] < ksize[0] or strides[1] < ksize[1]
    tiled = not overlapping and not any(pads[0] + pads[1]) and all(
        pooled_shape[1 + a] * ksize[a] == x.shape[1 + a] and strides[a] == ksize[a]
        for a in (0, 1))
    dx = np.empty(x.shape, dy.dtype) if tiled else _padded_zeros(x.shape, pads, dy.dtype)
    for chunk in batch_chunks(x):
        into = dx[chunk]
        for rows, cols, hit in _first_max_hits(x[chunk], pooled[chunk], ksize, strides, pads):
            if overlapping:
                into[:, rows, cols, :] += dy[chunk] * hit
            else:
                np.multiply(dy[chunk], hit, out=into[:, rows, cols, :])
    return _crop(dx, pads, x.shape[1:3])


def max_pool_grad_grad(x, pooled, g, ksize, strides, pads):
    """The adjoint of max_pool_grad in its gradient: g read at each window's first maximum."""
    if g.shape != x.shape:
        raise ValueError(f"grad has shape {g.shape}, the pooled input {x.shape}")
    padded = pad_spatial(g, pads)
    out = np.zeros(_pooled_shape(x.shape, ksize, strides, pads), g.dtype)
    _require_pooled("orig_output", pooled, _pooled_shape(x.shape, ksize, strides, pads))
    for rows, cols, hit in _first_max_hits(x, pooled, ksize, strides, pads):
        np.copyto(out, padded[:, rows, cols, :], where=hit)
    return out


def _valid_counts(size, k, stride, pad_before, out):
    start = np.arange(out) * stride - pad_before
    return np.minimum(start + k, size) - np.maximum(start, 0)


def _window_counts(input_hw, ksize, strides, pads, out_hw, dtype):
    """How many unpadded elements each window holds: [oh, ow, 1]."""
    rows = _valid_counts(input_hw[0], ksize[0], strides[0], pads[0][0], out_hw[0])
    cols = _valid_counts(input_hw[1], ksize[1], strides[1], pads[1][0], out_hw[1])
    return np.outer(rows, cols).astype(dtype)[:, :, None]


def avg_pool(x, ksize, strides, pads):
    """The mean of each window over its unpadded elements (TF's SAME average pooling)."""
    out_hw = _pooled_shape(x.shape, ksize, strides, pads)[1:3]
    sums = _window_reduce(_compute(pad_spatial(x, pads)),
                          kernel_positions(ksize, strides, out_hw), np.add)
    sums /= _window_counts(x.shape[1:3], ksize, strides, pads, out_hw, sums.dtype)
    return sums.astype(x.dtype, copy=False)


def avg_pool_grad(dy, input_shape, ksize, strides, pads):
    """Spreads each window's gradient evenly over its unpadded elements."""
    pooled_shape = _pooled_shape(input_shape, ksize, strides, pads)
    _require_pooled("grad", dy, pooled_shape)
    share = _compute(dy)
    share = share / _window_counts(input_shape[1:3], ksize, strides, pads, pooled_shape[1:3],
                                   share.dtype)
    dx = _padded_zeros(input_shape, pads, share.dtype)
    for rows, cols in kernel_positions(ksize, strides, pooled_shape[1:3]):
        dx[:, rows, cols, :] += share
    return _crop(dx, pads, input_shape[1:3]).astype(dy.dtype, copy=False)
