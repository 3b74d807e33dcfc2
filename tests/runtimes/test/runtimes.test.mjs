// The runtime check (check/check.mjs) in CI: under Node always, so the script itself is tested; under Bun, Deno and
// workerd when `pnpm test:runtimes` fetched their binaries into node_modules/.cache/runtimes (each says that it
// skipped otherwise). Each runtime must pass every case and give Node's outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, differences, RUNTIMES, runCheck, sharedDir, stage } from '../scripts/lib.mjs';
import { workerdCheck } from '../scripts/workerd.mjs';

let node;
beforeAll(async () => {
  stage();
  node = await runCheck('node');
});
afterAll(() => {
  if (node?.result?.skipped.length) for (const s of node.result.skipped) console.warn(s);
});

/** The cases that failed, with what the check printed for them. */
const failures = (stdout) =>
  stdout
    .split('\n')
    .map((l, i, all) => (l.startsWith('not ok') ? [l, ...all.slice(i + 1, i + 12)].join('\n') : undefined))
    .filter(Boolean);

describe('the runtime check', () => {
  it('passes every case under Node', () => {
    expect(node.result, `no RESULT (exit ${node.code}):\n${node.stdout}\n${node.stderr}`).toBeDefined();
    expect(failures(node.stdout)).toEqual([]);
    expect(node.code).toBe(0);
    expect(node.result.failed).toBe(0);
    // The client cases, the OAuth vectors and the webhooks entry always; the recorded deliveries with ../shared.
    const cases = Object.keys(node.result.results);
    expect(cases.length).toBeGreaterThanOrEqual(25);
    if (!node.result.skipped.length)
      expect(cases.filter((c) => /parseWebhook|createWebhookHandler/.test(c))).toHaveLength(4);
    else console.warn(`recorded data skipped (${sharedDir} not found): ${node.result.skipped.join('; ')}`);
  });

  for (const name of ['bun', 'deno']) {
    const bin = binary(name);
    const what = `${RUNTIMES[name].pkg}@${RUNTIMES[name].version}`;
    if (!bin)
      console.warn(`skipped: ${name} not fetched, run test:runtimes (pnpm test:runtimes fetches ${what})`);
    it.skipIf(!bin)(
      `passes every case under ${name}, with Node's outcomes${bin ? '' : ` (skipped: ${name} not fetched, run test:runtimes)`}`,
      async () => {
        const r = await runCheck(name, bin);
        expect(r.result, `no RESULT from ${name} (exit ${r.code}):\n${r.stdout}\n${r.stderr}`).toBeDefined();
        expect(failures(r.stdout)).toEqual([]);
        expect(r.code).toBe(0);
        expect(differences(node.result, r.result)).toEqual([]);
      },
    );
  }

  const workerd = binary('workerd');
  if (!workerd) console.warn('skipped: workerd not fetched, run test:runtimes');
  it.skipIf(!workerd)(
    `passes every case in workerd Workers, with Node's outcomes${workerd ? '' : ' (skipped: workerd not fetched, run test:runtimes)'}`,
    async () => {
      const r = await workerdCheck(workerd, RUNTIMES.workerd.version);
      expect(r.lines.filter((l) => l.startsWith('not ok'))).toEqual([]);
      expect(differences(node.result, r, { common: true })).toEqual([]);
    },
  );
});
