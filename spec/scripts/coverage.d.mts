// Types for the coverage script's exports (used by test/coverage.test.ts).
import type { OpenApiDocument, RouteIndex } from '../lib/compare.mjs';

export type CoverageReport = {
  routes: { covered: number; total: number };
  operations: { covered: number; total: number };
  missing: { route: string; method: string }[];
  extra: { path: string; method: string; operationId: string | null; reason: string }[];
  missingParams: { route: string; method: string; params: string[] }[];
  renamedPathParams: { route: string; spec: string }[];
  ignored: { route: string; reason: string }[];
};
export declare function computeCoverage(doc: OpenApiDocument, index: RouteIndex): CoverageReport;
export declare function formatReport(
  report: CoverageReport,
  paths: { bundlePath: string; indexPath: string },
): string;
