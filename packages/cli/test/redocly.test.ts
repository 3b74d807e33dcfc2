// Redocly 2.x prints a "Node.js 20 is end-of-life" box on every start under Node 20; the runner drops that box
// and nothing else.
import { describe, expect, it } from 'vitest';
import { bannerFilter, runRedocly } from '../lib/redocly.mjs';

const box = (lines: string[]) => ['    ╔════╗', ...lines.map((l) => `    ║ ${l} ║`), '    ╚════╝'];

describe('the Redocly runner', () => {
  it('drops the Node 20 end-of-life box and keeps every other line, other boxes included', () => {
    const filter = bannerFilter();
    const input = [
      'validating openapi.yaml...',
      ...box([
        'Deprecation warning: Node.js 20 support is ending',
        'Node.js 20 reached end-of-life on April 30, 2026.',
      ]),
      ...box(['A box about something else']),
      'Woohoo! Your API description is valid.',
    ];
    const output = input.flatMap((l) => filter(l));
    expect(output).toEqual([
      'validating openapi.yaml...',
      ...box(['A box about something else']),
      'Woohoo! Your API description is valid.',
    ]);
  });

  it('runs the real Redocly CLI without the banner and passes its exit code through', async () => {
    let stdout = '';
    let stderr = '';
    const code = await runRedocly(['--version'], {
      onStdout: (s) => (stdout += s),
      onStderr: (s) => (stderr += s),
    });
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(`${stdout}${stderr}`).not.toMatch(/end-of-life|Node\.js 20/);
    const bad = await runRedocly(['lint', 'no-such-file.yaml'], { onStdout: () => {}, onStderr: () => {} });
    expect(bad).not.toBe(0);
  });
});
