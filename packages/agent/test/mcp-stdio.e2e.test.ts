// The scenario over stdio: `wooapi-mcp --policy FILE --agent NAME`, as Claude Desktop/Code start it.
import { describe, vi } from 'vitest';
import { connectStdio, storeEnv } from './helpers.js';
import { scenario } from './scenario.js';

// Real processes (wooapi-mcp, Prism) on a 2-core machine shared with parallel builds: generous limits, the
// assertions decide.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

describe('wooapi-mcp over stdio', () => {
  scenario((ctx, agent, flags = []) =>
    connectStdio(['--policy', ctx.policy, '--agent', agent, ...flags], storeEnv(ctx.mock.url)),
  );
});
