// The TypeScript types generator, one implementation for two callers: the repo's build (scripts/gen-types.mjs,
// which writes @wooapi/types) and `wooapi generate` (which writes a user's extended types). Buildless ESM so the
// types package can run it before anything of the CLI is compiled.
import openapiTS, { astToString } from 'openapi-typescript';

// Names the generated module already exports; a schema with one of these names would shadow it.
const RESERVED = new Set([
  'paths',
  'webhooks',
  'components',
  'operations',
  '$defs',
  '$Read',
  '$Write',
  'Readable',
  'Writable',
]);

/**
 * The declaration file for a bundled document: openapi-typescript's `paths`, `components`, `operations`,
 * `webhooks`, the unions `Path`, `OperationId`, `WebhookName`, and per schema `<Name>` (as sent) and `<Name>Input`
 * (as a request body). `where` names the place to fix a bad schema name in the error.
 */
export async function renderTypes(
  spec,
  { header, where = 'spec/components/schemas/', prefix = '/wp-json/wc/v3' } = {},
) {
  // readWriteMarkers wraps readOnly/writeOnly properties in $Read/$Write, which openapi-fetch strips from request
  // bodies and responses respectively: a read-only field in a create body then fails to compile.
  // defaultNonNullable off: a property with a `default` (product `type`, `status`) must stay optional in request bodies.
  const ast = await openapiTS(spec, { readWriteMarkers: true, defaultNonNullable: false });
  const body = astToString(ast);

  const schemaNames = Object.keys(spec.components?.schemas ?? {});
  const aliases = [];
  for (const name of schemaNames) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
      throw new Error(`Schema name "${name}" is not PascalCase; rename it (${where}${name}).`);
    }
    if (RESERVED.has(name) || RESERVED.has(`${name}Input`)) {
      throw new Error(`Schema name "${name}" collides with a generated export; rename it (${where}${name}).`);
    }
    const doc = (spec.components.schemas[name].description ?? '').split('\n')[0].replace(/\*\//g, '*\\/');
    aliases.push(
      `/** ${doc || name} (as the store sends it: write-only fields removed). */`,
      `export type ${name} = Readable<components['schemas']['${name}']>;`,
      `/** ${name} as a request body takes it: read-only fields removed. */`,
      `export type ${name}Input = Writable<components['schemas']['${name}']>;`,
    );
  }

  let operations = 0;
  for (const item of Object.values(spec.paths ?? {})) {
    for (const op of Object.values(item ?? {}))
      if (op && typeof op === 'object' && op.operationId) operations += 1;
  }

  const extra = `
/** Every path of the API, relative to \`${prefix}\`. */
export type Path = keyof paths;
/** Every operationId of the API. */
export type OperationId = keyof operations;
/** Every webhook delivery in the spec's \`webhooks\` section (topics, \`action.*\` and \`ping\`). */
export type WebhookName = keyof webhooks;

${aliases.join('\n')}
`;
  return {
    dts: `${header ?? ''}${body}${extra}`,
    js: `${header ?? ''}// Types only: nothing to run.\nexport {};\n`,
    counts: {
      paths: Object.keys(spec.paths ?? {}).length,
      operations,
      webhooks: Object.keys(spec.webhooks ?? {}).length,
      schemas: schemaNames.length,
    },
  };
}
