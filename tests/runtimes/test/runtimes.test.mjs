// The runtime check (check/check.mjs): under Node always, so the script itself is tested; under Bun, Deno and
// workerd when their binaries are in node_modules/.cache/runtimes. `pnpm test:runtimes` fetches them; so does this
// test when CI is set (CI=true, as .ci/run sets it: ~8 s, 141 MB from the npm registry). Elsewhere, or when the
// fetch fails, each says that it skipped and why. Each runtime must pass every case and give Node's outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, differences, fetchRuntime, RUNTIMES, runCheck, sharedDir, stage } from '../scripts/lib.mjs';

/** The binary: cached, or fetched now under CI; with why it is missing otherwise. */
const why = {};
const locate = (name) => {
  const have = binary(name);
  if (have || !process.env.CI) return have;
  try {
    return fetchRuntime(name);
  } catch (e) {
    why[name] = `fetching ${RUNTIMES[name].pkg}@${RUNTIMES[name].version} failed: ${e?.message ?? e}`;
    return undefined;
  }
};
const skipped = (name) =>
  `skipped: ${name} not fetched, run test:runtimes${why[name] ? ` (${why[name]})` : ''}`;

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
    const bin = locate(name);
    if (!bin) console.warn(skipped(name));
    it.skipIf(!bin)(
      `passes every case under ${name}, with Node's outcomes${bin ? '' : ` (${skipped(name)})`}`,
      async () => {
        const r = await runCheck(name, bin);
        expect(r.result, `no RESULT from ${name} (exit ${r.code}):\n${r.stdout}\n${r.stderr}`).toBeDefined();
        expect(failures(r.stdout)).toEqual([]);
        expect(r.code).toBe(0);
        expect(differences(node.result, r.result)).toEqual([]);
      },
    );
  }

  const workerd = locate('workerd');
  if (!workerd) console.warn(skipped('workerd'));
  it.skipIf(!workerd)(
    `passes every case in workerd Workers, with Node's outcomes${workerd ? '' : ` (${skipped('workerd')})`}`,
    async () => {
      const r = await workerdCheck(workerd, RUNTIMES.workerd.version);
      expect(r.lines.filter((l) => l.startsWith('not ok'))).toEqual([]);
      expect(differences(node.result, r, { common: true })).toEqual([]);
    },
  );
});
