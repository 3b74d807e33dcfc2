// The link check: every relative link and asset must exist, every anchor must land, nothing may load from
// outside the site (it has to work offline).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { slug, webhookAnchor } from './bundle.mjs';

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...htmlFiles(full));
    else if (name.endsWith('.html')) out.push(full);
  }
  return out;
}

const ids = new Map();
function idsOf(file) {
  if (!ids.has(file))
    ids.set(file, new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
  return ids.get(file);
}

/**
 * Checks the built site; returns a list of problems ("file: what"). `operations` and `topics` let the check
 * follow anchors into the reference page, which Scalar renders in the browser.
 */
export function checkLinks(siteDir, { doc, operations, topics }) {
  ids.clear();
  const problems = [];
  const reference = resolve(siteDir, 'reference/index.html');
  const opAnchors = new Set(operations.map((o) => `tag/${slug(o.tag)}/${o.op.operationId}`));
  const tagAnchors = new Set(operations.map((o) => `tag/${slug(o.tag)}`));
  const topicAnchors = new Set(topics.map((t) => webhookAnchor(doc, t)));
  for (const file of htmlFiles(siteDir)) {
    const rel = relative(siteDir, file);
    const html = readFileSync(file, 'utf8');
    for (const m of html.matchAll(/<(\w+)\b[^>]*?\s(href|src)="([^"]*)"/g)) {
      const [, tag, attr, url] = m;
      if (/^(mailto:|tel:|javascript:|data:)/i.test(url)) continue;
      if (/^(https?:)?\/\//i.test(url)) {
        if (attr === 'src' || tag === 'link')
          problems.push(`${rel}: loads ${url} from outside the site (must work offline)`);
        continue;
      }
      if (url === '') {
        problems.push(`${rel}: empty ${attr} on <${tag}>`);
        continue;
      }
      const [pathPart, hash] = url.split('#');
      const target = pathPart ? resolve(dirname(file), pathPart.split('?')[0]) : file;
      const targetFile =
        existsSync(target) && statSync(target).isDirectory() ? join(target, 'index.html') : target;
      if (!existsSync(targetFile)) {
        problems.push(`${rel}: broken link ${url}`);
        continue;
      }
      if (!hash) continue;
      if (targetFile === reference) {
        if (!opAnchors.has(hash) && !tagAnchors.has(hash) && !topicAnchors.has(hash)) {
          problems.push(`${rel}: ${url} names no operation, tag or webhook topic of the spec`);
        }
      } else if (targetFile.endsWith('.html') && !idsOf(targetFile).has(decodeURIComponent(hash))) {
        problems.push(`${rel}: broken anchor ${url}`);
      }
    }
  }
  return problems;
}
