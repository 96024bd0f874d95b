import { describe, expect, it } from 'vitest';
import { buildModel, presetSpec } from '../src/index';
import { pythonJson, torchvisionPython } from './torchvision';

// The builders name parameters as torchvision does, so its state dicts map one to one. BatchNorm
// is folded into the conv before it, so each torchvision Conv2d/Linear module is one weight + bias here.
const found = torchvisionPython();
if ('reason' in found) console.warn(`skipping the torchvision layout comparison: ${found.reason}`);

const constructors: Record<string, string> = {
  alexnet: 'm.alexnet()',
  vgg16: 'm.vgg16()',
  'inception-v3': 'm.inception_v3(aux_logits=False, init_weights=False)',
  'mobilenet-v2': 'm.mobilenet_v2()',
};

if ('reason' in found && process.env.CI) throw new Error(`the torchvision layout test cannot run in CI, which installs python3-torchvision: ${found.reason}`);

describe.skipIf('reason' in found)('torchvision layout', () => {
  for (const [name, constructor] of Object.entries(constructors)) {
    it(`${name}: every Conv2d and Linear of torchvision's model, by name and weight shape`, () => {
      const python = (found as { python: string }).python;
      const theirs = pythonJson<Record<string, number[]>>(
        python,
        `import json, torch.nn as nn, torchvision.models as m
net = ${constructor}
print(json.dumps({k: list(v.weight.shape) for k, v in net.named_modules() if isinstance(v, (nn.Conv2d, nn.Linear))}))`,
      );
      const model = buildModel(presetSpec(name));
      const ours = Object.fromEntries(
        model.graph!.initializer!.filter((t) => t.name!.endsWith('.weight')).map((t) => [t.name!.slice(0, -'.weight'.length), t.dims!.map(Number)]),
      );
      expect(ours).toEqual(theirs);
      const biases = model.graph!.initializer!.filter((t) => t.name!.endsWith('.bias')).map((t) => t.name!.slice(0, -'.bias'.length));
      expect(biases.sort()).toEqual(Object.keys(theirs).sort());
    }, 60_000);
  }
});
