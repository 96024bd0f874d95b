import type { Command } from 'commander';
import { InvalidArgumentError } from '@ortbench/core';
import type { ImagePreset } from '@ortbench/preprocess';
import type { CliContext } from '../context';
import { print, printJson, warn } from '../output';

/** `ortbench preprocess`: the exact input tensor as a .npy file. */
export function registerPreprocessCommand(program: Command, _cli: CliContext): void {
  program
    .command('preprocess <images...>')
    .description('write the exact input tensor for images (files in the order given, folders sorted) as a NumPy .npy file, to diff against another framework')
    .option('--preset <name>', 'image preprocessing: imagenet, imagenet-inception, imagenet-direct, caffe, inception', 'imagenet')
    .option('--out <file>', 'the .npy file to write')
    .option('--fast', "resize with sharp (shrink-on-load, ICC applied): quicker, not bit-exact with torchvision's")
    .option('--exif-orientation', 'rotate by the EXIF orientation tag (PIL and torchvision do not)')
    .option('--skip-bad', 'leave unreadable images out (a warning each) instead of stopping at the first')
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ ortbench preprocess cat.jpg dog.png --out batch.npy\n  $ ortbench preprocess photos/ --preset imagenet-inception --out inception.npy\n\nIn Python: numpy.load("batch.npy") against torchvision\'s Resize → CenterCrop → ToTensor → Normalize.')
    .action(async (images: string[], flags: { preset: ImagePreset; out?: string; fast?: boolean; exifOrientation?: boolean; json?: boolean; skipBad?: boolean }) => {
      if (!flags.out) throw new InvalidArgumentError('--out FILE.npy: where to write the tensor');
      if (!flags.out.endsWith('.npy')) throw new InvalidArgumentError(`--out ${flags.out}: the file is NumPy's format; name it .npy`);
      const { exportPreprocessed } = await import('@ortbench/tasks');
      const overrides = { ...(flags.fast ? { fast: true } : {}), ...(flags.exifOrientation ? { exifOrientation: true } : {}) };
      const result = await exportPreprocessed(images, { preset: flags.preset, overrides, out: flags.out, ...(flags.skipBad ? { skipBad: true, onWarning: warn } : {}) });
      if (flags.json) printJson(result);
      else print(`${result.out}: ${result.dtype} [${result.dims.join(', ')}] from ${result.files.length} image${result.files.length === 1 ? '' : 's'}`);
    });
}
