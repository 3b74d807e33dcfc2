// The AI SDK and JSON-function adapters run the same tools through the same policy and audit, against Prism.
// The language model is the AI SDK's own MockLanguageModelV3 (it stands in for an LLM, not for any of our parts).

import { type MockServer, startMock } from '@wooapi/mock';
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aiTools } from '../dist/adapters/ai-sdk.js';
import { createGateway, functionDefinitions, type Gateway, runFunction } from '../dist/index.js';
import { auditLines, storeEnv, tempDir, writeFile } from './helpers.js';
import { policyText } from './scenario.js';

// Real processes (wooapi-mcp, Prism) on a 2-core machine shared with parallel builds: generous limits, the
// assertions decide.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};
const call = (id: string, toolName: string, input: object) => ({
  content: [{ type: 'tool-call' as const, toolCallId: id, toolName, input: JSON.stringify(input) }],
  finishReason: { unified: 'tool-calls' as const, raw: undefined },
  usage,
  warnings: [],
});

describe('adapters', () => {
  let mock: MockServer;
  let gateway: Gateway;
  let audit: string;
  beforeAll(async () => {
    mock = await startMock();
    const dir = tempDir();
    audit = `${dir}/audit.jsonl`;
    gateway = createGateway({
      policy: writeFile(dir, 'policy.yaml', policyText()),
      env: storeEnv(mock.url),
      audit,
    });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('AI SDK: the model sees only allowed tools; an allowed call runs, a call outside its allowed arguments is refused with the reason', async () => {
    const tools = aiTools(gateway.session('store-ops'));
    expect(Object.keys(tools)).toEqual(
      gateway
        .session('store-ops')
        .listTools()
        .map((t) => t.name),
    );
    expect(tools).not.toHaveProperty('create_order_refund');
    const model = new MockLanguageModelV3({
      doGenerate: [
        call('c1', 'get_order', { id: 727 }),
        call('c2', 'update_order', { id: 727, status: 'completed', total: '0.00' }),
        {
          content: [{ type: 'text', text: 'Done.' }],
          finishReason: { unified: 'stop', raw: undefined },
          usage,
          warnings: [],
        },
      ],
    });
    const result = await generateText({
      model,
      tools,
      prompt: 'Complete order 727',
      stopWhen: stepCountIs(5),
    });
    expect(result.text).toBe('Done.');
    const sent = model.doGenerateCalls[0]?.tools ?? [];
    const getOrder = sent.find((t: any) => t.name === 'get_order') as any;
    expect(getOrder.inputSchema.required).toEqual(['id']);
    const [first, second] = result.steps;
    expect((first?.toolResults[0] as any)?.output.id).toBe(727);
    const refused = second?.content.find((c) => c.type === 'tool-error') as any;
    expect(String(refused.error)).toContain('denied (tools.update_order: only id, status; not total)');
    const lines = auditLines(audit).filter((l) => l.via === 'ai-sdk');
    expect(lines.map((l) => [l.tool, l.decision])).toEqual([
      ['get_order', 'allowed'],
      ['update_order', 'denied'],
    ]);
  });

  it('JSON functions: OpenAI and Anthropic definitions, and runFunction through the policy', async () => {
    const session = gateway.session('manager');
    const openai = functionDefinitions(session, 'openai');
    const anthropic = functionDefinitions(session, 'anthropic');
    expect(openai.length).toBe(session.listTools().length);
    const create = openai.find((f) => f.function.name === 'create_order');
    expect(create?.type).toBe('function');
    expect(create?.function.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    expect(anthropic.find((f) => f.name === 'create_order')?.input_schema).toEqual(
      create?.function.parameters,
    );
    expect(openai.map((f) => f.function.name)).not.toContain('create_order_refund');

    const ok = await runFunction(session, 'list_orders', '{"per_page":2}');
    expect(ok.ok).toBe(true);
    expect((ok.output as any).items.length).toBeGreaterThan(0);
    const refund = await runFunction(session, 'create_order_refund', { order_id: 727, amount: '1.00' });
    expect(refund).toMatchObject({ ok: false });
    expect(refund.text).toContain('denied (actions.refund: off)');
    const broken = await runFunction(session, 'list_orders', '{per_page: 2');
    expect(broken).toMatchObject({ ok: false });
    expect(broken.text).toContain('the arguments must be a JSON object');
    const lines = auditLines(audit).filter((l) => l.via === 'functions');
    expect(lines.map((l) => l.decision)).toEqual(['allowed', 'denied', 'invalid']);
  });
});
