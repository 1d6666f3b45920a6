"""The seed MLP 784-300-100-10 (ReLU, ReLU, softmax): fit with SGD and Adam, predict."""

from .training import ModelSpec, fit_seconds, predict_seconds, subset

ROWS = [("mlp_sgd", "MLP fit, SGD lr 0.01, batch 32", "s/epoch"),
        ("mlp_adam", "MLP fit, Adam, batch 32", "s/epoch"),
        ("mlp_predict", "MLP predict 10k, batch 1000", "s")]


def keras_model(tf):
    layers = tf.keras.layers
    return tf.keras.Sequential([tf.keras.Input((28, 28)), layers.Flatten(),
                                layers.Dense(300, activation="relu"),
                                layers.Dense(100, activation="relu"),
                                layers.Dense(10, activation="softmax")])


def torch_model(torch):
    nn = torch.nn
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.ReLU(),
                         nn.Linear(300, 100), nn.ReLU(), nn.Linear(100, 10))


SPEC = ModelSpec("mlp", keras_model, torch_model)


def measure(framework, module, ctx):
    x, y, scale = subset(*ctx.train, ctx.fractions["mlp"])
    note = ctx.extrapolation(len(x))
    results = {}
    for key, optimizer in (("mlp_sgd", "sgd"), ("mlp_adam", "adam")):
        results[key] = (scale * fit_seconds(framework, module, SPEC, optimizer, x, y, 32), note)
    results["mlp_predict"] = predict_seconds(framework, module, SPEC, ctx.test[0], 1000)
    return results
