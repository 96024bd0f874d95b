import { InputMismatchError } from './errors';
import type { Feeds, ValueInfo } from './tensor';
import { formatDims } from './tensor';

/**
 * Checks feeds against a model's declared inputs before anything runs: every input present,
 * no unknown names, same dtype, same rank, and fixed dims equal. Symbolic dims accept any size.
 */
export function validateFeeds(inputs: readonly ValueInfo[], feeds: Feeds): void {
  const declared = new Set(inputs.map((input) => input.name));
  for (const name of Object.keys(feeds)) {
    if (!declared.has(name)) {
      throw new InputMismatchError(`feed "${name}" is not an input of the model (inputs: ${[...declared].join(', ')})`);
    }
  }
  for (const input of inputs) {
    const tensor = feeds[input.name];
    if (!tensor) throw new InputMismatchError(`model input "${input.name}" has no feed`);
    if (input.dtype !== 'unknown' && tensor.dtype !== input.dtype) {
      throw new InputMismatchError(`feed "${input.name}" is ${tensor.dtype}, the model expects ${input.dtype}`);
    }
    if (tensor.dims.length !== input.dims.length) {
      throw new InputMismatchError(
        `feed "${input.name}" has rank ${tensor.dims.length} ${formatDims(tensor.dims)}, the model expects rank ${input.dims.length} ${formatDims(input.dims)}`,
      );
    }
    input.dims.forEach((dim, axis) => {
      if (typeof dim === 'number' && dim !== tensor.dims[axis]) {
        throw new InputMismatchError(
          `feed "${input.name}" has shape ${formatDims(tensor.dims)}, the model expects ${formatDims(input.dims)} (axis ${axis})`,
        );
      }
    });
  }
}
