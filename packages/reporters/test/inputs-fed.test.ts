import { describe, expect, it } from 'vitest';
import { inputLines, renderConsoleTable, renderCsv, renderHtml, renderMarkdown } from '../src/index';
import { completed, document } from './results-fixture';

describe('the inputs fed, in every format', () => {
  const sweep = document([completed({ runner: 'node-cpu', batchSize: 1 }, 40), completed({ runner: 'node-cpu', batchSize: 4 }, 120)]);

  it('lists every shape an input was fed at, once, with how its values were made', () => {
    expect(inputLines(sweep)).toEqual(['input float32 [1, 3, 224, 224] · [4, 3, 224, 224]: random in [-2, 2]']);
  });

  it('appears in the console, Markdown, HTML and CSV', () => {
    expect(renderConsoleTable(sweep)).toContain('inputs fed:\n  input float32 [1, 3, 224, 224] · [4, 3, 224, 224]');
    expect(renderMarkdown(sweep)).toContain('## Inputs fed\n\n- input float32 [1, 3, 224, 224] · [4, 3, 224, 224]');
    expect(renderHtml(sweep)).toContain('<h2>Inputs fed</h2>');
    const [header, first] = renderCsv(sweep).split('\n');
    const column = header!.split(',').indexOf('inputs');
    expect(column).toBeGreaterThan(0);
    expect(first).toContain('input float32 [1, 3, 224, 224] random in [-2, 2]');
  });

  it('names the model in the title of the Markdown and HTML reports', () => {
    const named = document([completed({ runner: 'node-cpu', model: '/home/me/models/det.onnx', batchSize: 1 }, 40)]);
    expect(renderMarkdown(named).split('\n')[0]).toBe('# ortbench results: det.onnx');
    expect(renderHtml(named)).toContain('<title>ortbench report: det.onnx</title>');
  });
});
