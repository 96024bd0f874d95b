"""The PyTorch twin of a model @ortbench/models builds: the same architecture with the same weights.

Reads a JSON request on stdin: {architecture, options, weights: file of raw float32 initializers,
manifest: [{name, dims, offset, nbytes}], inputs, outputs, out}. Builds torchvision's ResNet-50
(or the same Bottleneck topology at other widths) or a Hugging Face-shaped BERT, loads the ONNX
file's weights into it, and saves TorchScript to `out` with the ONNX input/output names in the
extra file ortbench.json. Prints one JSON line: {ok, params} or {ok: false, error}.
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class Bottleneck(nn.Module):
    """torchvision's Bottleneck (v1.5: stride on the 3x3 conv), with its parameter names."""

    def __init__(self, cin, width, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, width * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(width * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = nn.Sequential(nn.Conv2d(cin, width * 4, 1, stride=stride, bias=False), nn.BatchNorm2d(width * 4)) if downsample else None

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + (self.downsample(x) if self.downsample is not None else x))


class SmallResNet(nn.Module):
    """torchvision's ResNet layout at any stem and stage widths (the -tiny test models)."""

    def __init__(self, o):
        super().__init__()
        self.conv1 = nn.Conv2d(3, o["stemWidth"], 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(o["stemWidth"])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        cin = o["stemWidth"]
        for stage, (width, blocks) in enumerate(zip(o["stageWidths"], o["stageBlocks"])):
            layer = []
            for block in range(blocks):
                layer.append(Bottleneck(cin, width, 2 if block == 0 and stage > 0 else 1, block == 0))
                cin = width * 4
            setattr(self, f"layer{stage + 1}", nn.Sequential(*layer))
        self.stages = len(o["stageWidths"])
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, o["numClasses"])

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for stage in range(self.stages):
            x = getattr(self, f"layer{stage + 1}")(x)
        return self.fc(torch.flatten(self.avgpool(x), 1))


def resnet(o, weights):
    torchvision_layout = o["stemWidth"] == 64 and list(o["stageWidths"]) == [64, 128, 256, 512] and list(o["stageBlocks"]) == [3, 4, 6, 3]
    if torchvision_layout:
        try:
            import torchvision
        except ImportError as error:
            raise ImportError("resnet50's twin is torchvision's resnet50: install torchvision (apt-get install python3-torchvision, or pip install torchvision)") from error

        model = torchvision.models.resnet50(num_classes=o["numClasses"])
    else:
        model = SmallResNet(o)
    state = {}
    # The ONNX file has BatchNorm folded into each conv's weight and bias: the twin's BatchNorms
    # are identities (mean 0, variance 1, epsilon 0, scale 1) whose shift is that bias.
    for name, module in model.named_modules():
        if isinstance(module, nn.Conv2d):
            bn = name.replace("conv", "bn") if "downsample" not in name else name[:-1] + "1"
            state[f"{name}.weight"] = weights[f"{name}.weight"]
            size = module.out_channels
            state[f"{bn}.weight"] = torch.ones(size)
            state[f"{bn}.bias"] = weights[f"{name}.bias"]
            state[f"{bn}.running_mean"] = torch.zeros(size)
            state[f"{bn}.running_var"] = torch.ones(size)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.eps = 0.0
    state["fc.weight"] = weights["fc.weight"]
    state["fc.bias"] = weights["fc.bias"]
    loaded = model.load_state_dict(state, strict=False)
    missing = [key for key in loaded.missing_keys if not key.endswith("num_batches_tracked")]
    if missing or loaded.unexpected_keys:
        raise ValueError(f"weights do not fit the architecture: missing {missing[:3]}, unexpected {loaded.unexpected_keys[:3]}")
    model.eval()
    example = (torch.zeros(1, 3, o["imageSize"], o["imageSize"]),)
    return torch.jit.trace(model, example)


class BertLayer(nn.Module):
    def __init__(self, o):
        super().__init__()
        h, self.heads = o["hidden"], o["heads"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attention_output = nn.Linear(h, h)
        self.attention_norm = nn.LayerNorm(h, eps=o["layerNormEps"])
        self.intermediate = nn.Linear(h, o["intermediate"])
        self.output = nn.Linear(o["intermediate"], h)
        self.output_norm = nn.LayerNorm(h, eps=o["layerNormEps"])

    def split(self, t):
        n, s, h = t.shape
        return t.view(n, s, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x, mask):
        n, s, h = x.shape
        d = h // self.heads
        scores = self.split(self.query(x)) @ self.split(self.key(x)).transpose(-1, -2) / math.sqrt(d) + mask
        context = (torch.softmax(scores, dim=-1) @ self.split(self.value(x))).transpose(1, 2).reshape(n, s, h)
        x = self.attention_norm(self.attention_output(context) + x)
        return self.output_norm(self.output(F.gelu(self.intermediate(x))) + x)


class Bert(nn.Module):
    """Hugging Face BertModel's computation (post-LN, exact GELU, additive −10000 mask, pooler)."""

    def __init__(self, o, has_mask: bool, has_types: bool):
        super().__init__()
        h = o["hidden"]
        self.word_embeddings = nn.Embedding(o["vocabSize"], h)
        self.position_embeddings = nn.Embedding(o["maxPositions"], h)
        self.token_type_embeddings = nn.Embedding(o["typeVocabSize"], h)
        self.embeddings_norm = nn.LayerNorm(h, eps=o["layerNormEps"])
        self.layers = nn.ModuleList([BertLayer(o) for _ in range(o["layers"])])
        self.pooler = nn.Linear(h, h)
        self.has_mask, self.has_types = has_mask, has_types

    def embed(self, ids, types):
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        return self.embeddings_norm(self.word_embeddings(ids) + self.position_embeddings(positions) + self.token_type_embeddings(types))

    def encode(self, ids, mask, types):
        x = self.embed(ids, types)
        additive = ((1.0 - mask.to(x.dtype)) * -10000.0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, additive)
        return x, torch.tanh(self.pooler(x[:, 0]))


class BertHf(Bert):
    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.encode(input_ids, attention_mask, token_type_ids)


class BertIdsOnly(Bert):
    def forward(self, input_ids):
        return self.encode(input_ids, torch.ones_like(input_ids), torch.zeros_like(input_ids))


def bert(o, weights, inputs):
    model = (BertHf if len(inputs) == 3 else BertIdsOnly)(o, len(inputs) == 3, len(inputs) == 3)
    state = {
        "word_embeddings.weight": weights["embeddings.word_embeddings.weight"],
        "position_embeddings.weight": weights["embeddings.position_embeddings.weight"],
        "token_type_embeddings.weight": weights["embeddings.token_type_embeddings.weight"],
        "embeddings_norm.weight": weights["embeddings.LayerNorm.weight"],
        "embeddings_norm.bias": weights["embeddings.LayerNorm.bias"],
        # ONNX keeps linear weights [in, out] for MatMul; torch's Linear holds [out, in].
        "pooler.weight": weights["pooler.dense.weight"].t(),
        "pooler.bias": weights["pooler.dense.bias"],
    }
    names = {
        "query": "attention.self.query", "key": "attention.self.key", "value": "attention.self.value",
        "attention_output": "attention.output.dense", "intermediate": "intermediate.dense", "output": "output.dense",
    }
    for i in range(o["layers"]):
        for ours, theirs in names.items():
            state[f"layers.{i}.{ours}.weight"] = weights[f"encoder.layer.{i}.{theirs}.weight"].t()
            state[f"layers.{i}.{ours}.bias"] = weights[f"encoder.layer.{i}.{theirs}.bias"]
        for ours, theirs in (("attention_norm", "attention.output.LayerNorm"), ("output_norm", "output.LayerNorm")):
            state[f"layers.{i}.{ours}.weight"] = weights[f"encoder.layer.{i}.{theirs}.weight"]
            state[f"layers.{i}.{ours}.bias"] = weights[f"encoder.layer.{i}.{theirs}.bias"]
    model.load_state_dict({k: v.contiguous() for k, v in state.items()})
    model.eval()
    return torch.jit.script(model)


def main():
    request = json.load(sys.stdin)
    raw = open(request["weights"], "rb").read()
    weights = {}
    for entry in request["manifest"]:
        array = np.frombuffer(raw, dtype=np.float32, count=entry["nbytes"] // 4, offset=entry["offset"]).reshape(entry["dims"])
        weights[entry["name"]] = torch.from_numpy(array.copy())
    architecture, options = request["architecture"], request["options"]
    module = resnet(options, weights) if architecture == "resnet50" else bert(options, weights, request["inputs"])
    meta = {"inputs": request["inputs"], "outputs": request["outputs"], "source": request.get("source")}
    torch.jit.save(module, request["out"], _extra_files={"ortbench.json": json.dumps(meta)})
    print(json.dumps({"ok": True, "params": sum(p.numel() for p in module.parameters()), "torch": torch.__version__}))


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 — one line back to the host
        print(json.dumps({"ok": False, "error": (str(error).strip() or type(error).__name__).splitlines()[0]}))
        sys.exit(1)
