"""The protocol buffers of TensorBoard's event files, from tensorboardX (imported on first
use, so `import eagerflow` never loads it), and NumPy arrays as TensorProtos and PNGs."""

import importlib
import struct
import zlib

import numpy as np

# TensorFlow's DataType enum (types.proto), by eagerflow dtype name.
DATA_TYPES = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6,
              "string": 7, "complex64": 8, "int64": 9, "bool": 10, "bfloat16": 14,
              "uint16": 17, "complex128": 18, "float16": 19, "resource": 20, "uint32": 22,
              "uint64": 23}


def module(name):
    """tensorboardX's `proto.<name>` module, or an ImportError saying what to install."""
    try:
        return importlib.import_module(f"tensorboardX.proto.{name}")
    except ImportError as error:
        raise ImportError("Writing TensorBoard event files (tf.summary, "
                          "keras.callbacks.TensorBoard) needs the tensorboardX package: "
                          "`pip install tensorboardX` (or `pip install "
                          "eagerflow[tensorboard]`).") from error


def data_type(dtype_name):
    return DATA_TYPES.get(dtype_name, 0)


def shape_proto(shape):
    """A TensorShapeProto; None for an unknown rank, -1 for an unknown dimension."""
    proto = module("tensor_shape_pb2").TensorShapeProto()
    if shape is None:
        proto.unknown_rank = True
    else:
        proto.dim.extend(proto.Dim(size=-1 if d is None else int(d)) for d in shape)
    return proto


def tensor_proto(array):
    """A TensorProto holding `array` (numbers, booleans, or strings/bytes)."""
    array = np.asarray(array)
    proto = module("tensor_pb2").TensorProto(tensor_shape=shape_proto(array.shape))
    if array.dtype.kind in "OSU":
        proto.dtype = DATA_TYPES["string"]
        proto.string_val.extend(v if isinstance(v, bytes) else str(v).encode()
                                for v in array.reshape(-1).tolist())
    else:
        proto.dtype = data_type(array.dtype.name)
        proto.tensor_content = np.ascontiguousarray(
            array, dtype=array.dtype.newbyteorder("<")).tobytes()
    return proto


def summary_metadata(plugin_name, description=None, content=b""):
    summary_pb2 = module("summary_pb2")
    return summary_pb2.SummaryMetadata(
        summary_description=description or "",
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin_name,
                                                           content=content))


def png(image):
    """PNG bytes of a uint8 image [height, width, channels] (1 grey, 2 grey+alpha, 3 RGB,
    4 RGBA), unfiltered rows, zlib-compressed."""
    height, width, channels = image.shape
    color_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    rows = np.concatenate([np.zeros((height, 1), np.uint8),
                           np.ascontiguousarray(image).reshape(height, width * channels)],
                          axis=1)

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes())) + chunk(b"IEND", b""))
