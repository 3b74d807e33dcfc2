// Lints a document with the project's own rules: @wooapi/spec's redocly.yaml (Redocly's recommended set plus the
// conventions as rules: operationIds, x-wc-* extensions, paging headers, 429s, examples that match their schemas).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRedocly } from '../lib/redocly.mjs';

const require = createRequire(import.meta.url);

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  /** JSON Pointer into the document: `#/paths/~1products~1{id}~1badges/get`. */
  pointer: string;
}

export function projectLintConfig(): string {
  return require.resolve('@wooapi/spec/redocly.yaml');
}

/** Runs Redocly lint on `doc` with the project's config; resolves to every problem it reports. */
export async function lintDocument(doc: unknown): Promise<LintProblem[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wooapi-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    let stdout = '';
    let stderr = '';
    const code = await runRedocly(['lint', file, `--config=${projectLintConfig()}`, '--format=json'], {
      onStdout: (s) => {
        stdout += s;
      },
      onStderr: (s) => {
        stderr += s;
      },
    });
    let report: {
      problems?: Array<{
        ruleId: string;
        severity: string;
        message: string;
        location?: Array<{ pointer?: string }>;
      }>;
    };
    try {
      report = JSON.parse(stdout);
    } catch {
      throw new Error(`Redocly lint did not report (exit ${code}): ${stderr.trim() || stdout.trim()}`);
    }
    return (report.problems ?? []).map((p) => ({
      ruleId: p.ruleId,
      severity: p.severity === 'error' ? 'error' : 'warn',
      message: p.message,
      pointer: p.location?.[0]?.pointer ?? '#/',
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
