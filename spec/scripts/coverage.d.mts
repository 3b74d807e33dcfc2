// Types for the coverage script's exports (used by test/coverage.test.ts).
export type CoverageReport = {
  routes: { covered: number; total: number };
  operations: { covered: number; total: number };
  missing: { route: string; method: string }[];
  extra: { path: string; method: string; operationId: string | null; reason: string }[];
  missingParams: { route: string; method: string; params: string[] }[];
  renamedPathParams: { route: string; spec: string }[];
  ignored: { route: string; reason: string }[];
};
export declare const IGNORED_ROUTES: { test: (route: string) => boolean; reason: string }[];
export declare function toOpenApiPath(route: string): string;
export declare function pathShape(p: string): string;
export declare function computeCoverage(doc: object, index: object): CoverageReport;
export declare function formatReport(
  report: CoverageReport,
  paths: { bundlePath: string; indexPath: string },
): string;
