// The part of openapi-format's API that the CLI uses (the package ships no types).
declare module 'openapi-format' {
  export interface OverlayResult {
    data: unknown;
    resultData: { unusedActions: unknown[]; usedActions: unknown[]; totalActions: number };
  }
  export function openapiOverlay(doc: unknown, options: { overlaySet: unknown }): Promise<OverlayResult>;
}
