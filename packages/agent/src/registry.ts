// The tool registry: the generated definitions (dist/generated/tools.json, built from the bundle) or, for
// `--spec FILE`, the same definitions built at start-up from a user's extended bundle by the same buildTools.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildTools, type ToolDefinition } from './tools/build.js';

export interface Registry {
  tools: ToolDefinition[];
  byName: Map<string, ToolDefinition>;
  /** Toolset names in document order. */
  toolsets: string[];
  /** Every x-wc-resource, in document order. */
  resources: string[];
  /** Where the definitions came from (for messages). */
  source: string;
}

export const generatedToolsPath = (): string =>
  fileURLToPath(new URL('./generated/tools.json', import.meta.url));

export function registryOf(tools: ToolDefinition[], source: string): Registry {
  return {
    tools,
    byName: new Map(tools.map((t) => [t.name, t])),
    toolsets: [...new Set(tools.map((t) => t.toolset))],
    resources: [...new Set(tools.map((t) => t.resource))],
    source,
  };
}

/** The registry of the bundled spec, or of `specFile` (a bundled OpenAPI JSON document) when given. */
export function loadRegistry(options: { specFile?: string } = {}): Registry {
  if (options.specFile) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(options.specFile, 'utf8'));
    } catch (error) {
      throw new Error(
        `--spec ${options.specFile}: cannot read it as JSON (${(error as Error).message}); give a bundled spec, e.g. the openapi.json that \`wooapi generate\` or \`pnpm build\` writes`,
      );
    }
    try {
      return registryOf(buildTools(doc as Record<string, unknown>), options.specFile);
    } catch (error) {
      throw new Error(`--spec ${options.specFile}: ${(error as Error).message}`);
    }
  }
  const file = generatedToolsPath();
  let parsed: { tools?: ToolDefinition[] };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `${file} is missing or broken (${(error as Error).message}): build @wooapi/agent (pnpm build)`,
    );
  }
  if (!Array.isArray(parsed.tools)) throw new Error(`${file} holds no tools: rebuild @wooapi/agent`);
  return registryOf(parsed.tools, file);
}

export interface Selection {
  /** Only these toolsets (default: all). */
  toolsets?: string[];
  /** Only these tools (added to the toolsets' tools when both are given). */
  tools?: string[];
  /** Only tools that read: overrides everything else. */
  readOnly?: boolean;
}

/**
 * The tools a server offers before any policy: toolsets and named tools, then read-only. Unknown names are an
 * error that lists the known ones.
 */
export function selectTools(registry: Registry, selection: Selection = {}): ToolDefinition[] {
  const unknownSet = (selection.toolsets ?? []).filter((s) => !registry.toolsets.includes(s));
  if (unknownSet.length)
    throw new Error(`unknown toolset ${unknownSet.join(', ')} (known: ${registry.toolsets.join(', ')})`);
  const unknownTool = (selection.tools ?? []).filter((t) => !registry.byName.has(t));
  if (unknownTool.length)
    throw new Error(
      `unknown tool ${unknownTool.join(', ')}: the names are snake_case operationIds, e.g. list_orders`,
    );
  const bySet = selection.toolsets?.length ? new Set(selection.toolsets) : undefined;
  const byName = selection.tools?.length ? new Set(selection.tools) : undefined;
  return registry.tools.filter((t) => {
    const chosen =
      !bySet && !byName ? true : (bySet?.has(t.toolset) ?? false) || (byName?.has(t.name) ?? false);
    return chosen && (!selection.readOnly || t.annotations.readOnlyHint);
  });
}
