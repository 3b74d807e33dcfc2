// Page layout for the guide pages: plain HTML and one local stylesheet, nothing fetched from elsewhere.
export function esc(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** `depth` is how many folders below the site root the page lives (guides/x.html: 1). */
export function layout({ title, body, depth, nav }) {
  const up = depth === 0 ? './' : '../'.repeat(depth);
  const links = nav
    .map(
      (n) => `<a href="${up}${n.href}"${n.title === title ? ' aria-current="page"' : ''}>${esc(n.title)}</a>`,
    )
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(title)} · wooapi</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${up}assets/site.css">
</head>
<body>
  <header class="top">
    <a class="brand" href="${up}index.html">wooapi</a>
    <nav>
      ${links}
    </nav>
  </header>
  <main class="page">
${body}
  </main>
  <footer>Generated from the wooapi OpenAPI bundle. Works offline.</footer>
</body>
</html>
`;
}

export const CSS = `:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --muted: #666; --line: #ddd; --accent: #7f54b3; }
@media (prefers-color-scheme: dark) { :root { --fg: #eee; --bg: #161618; --muted: #aaa; --line: #333; --accent: #b48ce6; } }
.page, .page * { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header.top { display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; padding: .6rem 1.5rem; border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; color: var(--accent); text-decoration: none; }
header.top nav { display: flex; gap: 1rem; flex-wrap: wrap; font-size: .92rem; }
header.top nav a { color: var(--fg); text-decoration: none; }
header.top nav a[aria-current="page"], header.top nav a:hover { color: var(--accent); text-decoration: underline; }
main.page { max-width: 78rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
footer { text-align: center; color: var(--muted); font-size: .85rem; padding: 1rem; border-top: 1px solid var(--line); }
.page a { color: var(--accent); }
.page code, .page pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.page pre { background: rgba(127,127,127,.12); padding: .8rem 1rem; overflow-x: auto; border-radius: 6px; }
.page table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .92rem; }
.page th, .page td { border: 1px solid var(--line); padding: .35rem .55rem; text-align: left; vertical-align: top; }
.page th { background: rgba(127,127,127,.1); }
.page td code { overflow-wrap: anywhere; }
.page .table-wrap { overflow-x: auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
.cards a { display: block; padding: 1rem; border: 1px solid var(--line); border-radius: 8px; text-decoration: none; color: var(--fg); }
.cards a strong { color: var(--accent); }
`;
