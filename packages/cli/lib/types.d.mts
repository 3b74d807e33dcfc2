export interface RenderedTypes {
  /** The declaration file: paths, components, operations, webhooks, Path, OperationId, WebhookName, aliases. */
  dts: string;
  /** Its runtime stub (`export {}`). */
  js: string;
  counts: { paths: number; operations: number; webhooks: number; schemas: number };
}
export declare function renderTypes(
  spec: unknown,
  options?: { header?: string; where?: string; prefix?: string },
): Promise<RenderedTypes>;
