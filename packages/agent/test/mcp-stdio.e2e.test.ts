// The scenario over stdio: `wooapi-mcp --policy FILE --agent NAME`, as Claude Desktop/Code start it.
import { describe } from 'vitest';
import { connectStdio, storeEnv } from './helpers.js';
import { scenario } from './scenario.js';

describe('wooapi-mcp over stdio', () => {
  scenario((ctx, agent, flags = []) =>
    connectStdio(['--policy', ctx.policy, '--agent', agent, ...flags], storeEnv(ctx.mock.url)),
  );
});
