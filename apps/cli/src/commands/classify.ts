import type { Command } from 'commander';
import { positiveInteger } from '@ortbench/core';
import type { ImagePreset } from '@ortbench/preprocess';
import type { CliContext } from '../context';
import { print, printJson, warn } from '../output';

/** `ortbench classify`. */
export function registerClassifyCommand(program: Command, cli: CliContext): void {
  program
    .command('classify <images...>')
    .description('classify images (files or folders) with an image model: top-k classes and probabilities')
    .option('--model <model>', 'a built-in model, an .onnx file or a model folder', 'resnet50')
    .option('--variant <name>', "a model folder's variant (q8, q4, …; default fp32)")
    .option('--runner <name>', 'runner to use', 'node-cpu')
    .option('--labels <files>', 'class names: a text file (one per line), a JSON array, a Keras class index or a JSON map, or imagenet (the built-in English); several, comma-separated or repeated, are shown together (default: imagenet)', (value: string, list: string[] = []) => [...list, ...value.split(',').filter(Boolean)])
    .option('--preset <name>', "image preprocessing: imagenet, imagenet-inception, imagenet-direct, caffe, inception (default imagenet, or a model folder's preprocessor_config.json)")
    .option('--exif-orientation', 'rotate photos by their EXIF orientation tag first (PIL and torchvision do not, so the default matches training)')
    .option('--fast', "resize with sharp (shrink-on-load): quicker on large photos, not bit-exact with torchvision's")
    .option('--topk <k>', 'classes to show per image', (v) => positiveInteger(v, '--topk'), 5)
    .option('--annotate <dir>', 'write each image with its top-k drawn on it into this folder')
    .option('--skip-bad', 'leave unreadable images out (a warning each) instead of stopping at the first')
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ ortbench classify photos/ --model mobilenetv2.onnx --topk 3\n  $ ortbench classify cat.jpg --model model.onnx --labels imagenet,imagenet_classes_zh.json --annotate out/')
    .action(async (images: string[], flags: { model: string; runner: string; labels?: string[]; preset?: ImagePreset; variant?: string; topk: number; annotate?: string; json?: boolean; exifOrientation?: boolean; fast?: boolean; skipBad?: boolean }) => {
      const { annotateClassification, classifyImages, formatClassifications } = await import('@ortbench/tasks');
      const { labels, exifOrientation, fast, ...rest } = flags;
      const image = { ...(exifOrientation ? { exifOrientation: true } : {}), ...(fast ? { fast: true } : {}) };
      const results = await classifyImages(images, { ...rest, image, ...(labels ? { labelSets: labels } : {}), plugins: cli.plugins(), onWarning: (m) => warn(`${m.replace('pass a trained model', 'pass --model for a trained model')}`) });
      if (flags.annotate) for (const result of results) await annotateClassification(result, flags.annotate, { onWarning: warn });
      if (flags.json) printJson(results);
      else print(formatClassifications(results));
    });
}
