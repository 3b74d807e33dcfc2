// The named actions of `x-wc-action` (spec/EXTENSIONS.md defines them; a test keeps this list and that table equal).

export const ACTIONS = {
  refund:
    'sends money back through the payment gateway (with api_refund, the default) or records a manual refund',
  delete: 'trashes or permanently deletes records',
  batch: 'changes up to 100 records in one call',
  send_customer_email: 'emails a customer',
  run_system_tool: 'runs a WooCommerce maintenance tool (clears caches, deletes data, regenerates tables)',
} as const;

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

/** One entry of an operation's `x-wc-action`: the action, and the argument that must be set for it to happen. */
export interface ActionRule {
  action: ActionName;
  when?: string;
}

const isAction = (v: unknown): v is ActionName => typeof v === 'string' && v in ACTIONS;

/** Reads `x-wc-action` (absent, a name, or a list of names and `{ action, when }`); throws on anything else. */
export function parseActions(value: unknown, where: string): ActionRule[] {
  if (value === undefined || value === null) return [];
  const entries = Array.isArray(value) ? value : [value];
  return entries.map((entry, i) => {
    const at = Array.isArray(value) ? `${where} x-wc-action[${i}]` : `${where} x-wc-action`;
    if (typeof entry === 'string') {
      if (!isAction(entry))
        throw new Error(
          `${at}: unknown action "${entry}" (known: ${ACTION_NAMES.join(', ')}; see spec/EXTENSIONS.md)`,
        );
      return { action: entry };
    }
    if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      const { action, when, ...rest } = entry as Record<string, unknown>;
      const extra = Object.keys(rest);
      if (extra.length)
        throw new Error(`${at}: unknown key "${extra[0]}" (an entry has only action and when)`);
      if (!isAction(action))
        throw new Error(
          `${at}: unknown action ${JSON.stringify(action)} (known: ${ACTION_NAMES.join(', ')})`,
        );
      if (when !== undefined && (typeof when !== 'string' || !when))
        throw new Error(`${at}: when must name an argument of the operation`);
      return when === undefined ? { action } : { action, when };
    }
    throw new Error(`${at}: expected an action name or { action, when }, got ${JSON.stringify(entry)}`);
  });
}

/** Is an argument "given" in the sense of `when`: present and not empty, false or 0. */
export function isGiven(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** The actions a call with `args` performs. */
export function actionsOf(rules: ActionRule[], args: Record<string, unknown>): ActionName[] {
  return [
    ...new Set(rules.filter((r) => r.when === undefined || isGiven(args[r.when])).map((r) => r.action)),
  ];
}
