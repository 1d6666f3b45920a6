"""Per-call cost on small inputs: the seed MLP on one image, called as `model(x)` and
through `model.predict(x)` (µs). PyTorch has no predict: both rows time
`model(x).softmax(1)` under inference_mode. The NumPy floor's forward pass is the floor."""

import numpy as np

from . import numpy_floor
from .mlp import SPEC
from .timing import per_call_us

ROWS = [("model_call", "MLP model(x), 1 image", "µs"),
        ("predict_call", "MLP predict(x), 1 image", "µs")]


def measure(framework, module, ctx):
    image = np.ascontiguousarray(ctx.test[0][:1])
    if framework == "numpy":
        net, _ = numpy_floor.make(SPEC.numpy_name, "sgd")
        floor = per_call_us(lambda: numpy_floor.predict(net, image, 1))
        return {"model_call": floor, "predict_call": floor}
    if framework == "torch":
        torch = module
        model = SPEC.torch_model(torch).eval()
        inputs = torch.from_numpy(image)

        def call():
            with torch.inference_mode():
                return model(inputs).softmax(1)
        cost = per_call_us(call)
        return {"model_call": cost, "predict_call": cost}
    model = SPEC.keras_model(module)
    inputs = module.constant(image)
    return {"model_call": per_call_us(lambda: model(inputs)),
            "predict_call": per_call_us(lambda: model.predict(image, verbose=0))}
