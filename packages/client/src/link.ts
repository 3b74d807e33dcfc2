/**
 * The `Link` header, read by paging only when a store sends no `X-WP-TotalPages` (a chunk loaded on first use, so
 * that the common answer costs no parser).
 */

/** True when a `Link` header has a `rel="next"` entry. Linear in the header's length, whatever it holds. */
export function hasNextLink(link: string | null): boolean | undefined {
  if (!link) return undefined;
  let i = 0;
  for (;;) {
    const open = link.indexOf('<', i);
    if (open < 0) return false;
    const close = link.indexOf('>', open + 1);
    if (close < 0) return false;
    let end = link.indexOf('<', close + 1);
    if (end < 0) end = link.length;
    // The parameters of this entry: `; rel="next"; title="..."` up to the next `<`.
    for (const param of link.slice(close + 1, end).split(';')) {
      const eq = param.indexOf('=');
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'rel') continue;
      const value = param
        .slice(eq + 1)
        .replace(/[",]/g, ' ')
        .trim()
        .toLowerCase();
      if (value.split(/\s+/).includes('next')) return true;
    }
    i = end;
  }
}
