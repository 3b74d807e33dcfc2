export { type DraftOptions, draftFromStore, draftOverlay } from './diff.js';
export { type DocsOptions, type DocsSite, docs } from './docs.js';
export { CliError } from './errors.js';
export { type GenerateOptions, type GenerateResult, generate } from './generate.js';
export { type LintProblem, lintDocument } from './lint.js';
export {
  type AppliedAction,
  applyOverlay,
  type Overlay,
  type OverlayAction,
  parseOverlay,
  readOverlay,
} from './overlay.js';
