import type { Feeds, Session } from '@ortbench/core';
import { imageFeeds, preprocessImages } from '@ortbench/preprocess';
import { folderImageSteps, folderTokenizer, readTexts, SAMPLE_TEXTS, textFeeds } from '../folder-inputs';
import { hfImageBatch, imageConfigForModel } from '../images';
import type { ModelFolder } from '../model-folder';
import type { FidelityInputs } from './fidelity';
import type { BenchOptions } from './options';
import type { BenchPlan } from './plan';

/**
 * What a variant's outputs are compared with fp32's on: real inputs where ortbench has them —
 * for a text model in a folder with a tokenizer, the `--texts` lines or the built-in sentences,
 * one at a time; for an image model, the `--images` photos one at a time, prepared by the
 * folder's preprocessor_config.json (else the imagenet preset) — otherwise the inputs timed,
 * and the description says which and why.
 */
export async function fidelityInputs(session: Session, timed: Feeds, context: { options: BenchOptions; plan: BenchPlan }, folder: ModelFolder | undefined): Promise<FidelityInputs> {
  const { options, plan } = context;
  let why = '';
  if (plan.tokens) {
    const tokenizer = folder ? await folderTokenizer(folder) : undefined;
    if (tokenizer) {
      const texts = options.texts ? await readTexts(options.texts) : SAMPLE_TEXTS;
      const what = options.texts ? `${texts.length} text(s) of ${options.texts}` : `${texts.length} built-in sentences`;
      const made = textFeeds(session.inputs, tokenizer, texts, what, plan.model.maxPositions);
      if ('feeds' in made) return made;
      why = made.unavailable;
    } else why = folder ? 'the folder has no tokenizer.json or vocab.txt' : 'a model file has no tokenizer';
  } else if (options.images && plan.images) {
    const fixed = session.inputs[0]?.dims[0];
    if (typeof fixed === 'number' && fixed !== 1) why = `the model's batch is fixed at ${fixed}, and photos are compared one at a time`;
    else {
      const steps = await folderImageSteps(folder);
      const shape = Object.values(timed)[0]?.dims;
      const config = steps ? undefined : imageConfigForModel(session, 'imagenet', shape);
      const feeds: Feeds[] = [];
      for (const file of plan.images.files) feeds.push(imageFeeds(session.inputs, steps ? await hfImageBatch([file], steps, session) : await preprocessImages([file], config!)));
      return { feeds, description: `${feeds.length} photo(s) of --images, prepared by ${steps ? "the folder's preprocessor_config.json" : 'the imagenet preset'}` };
    }
  } else why = plan.model.kind === 'image' ? 'pass --images for photos' : 'ortbench has no real inputs for this model';
  return { feeds: [timed], description: `the inputs timed (seeded: ${why})` };
}
