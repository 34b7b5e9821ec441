/**
 * Plain JavaScript (types in heap-snapshot.d.mts).
 * A V8 heap snapshot (.heapsnapshot, as v8.writeHeapSnapshot() writes it) summarised for
 * `npm run bench:memory`: self size by kind and by constructor, retained size (dominator tree)
 * by constructor and of the largest single retainers, and per script the source text and the
 * compiled functions (SharedFunctionInfo, bytecode and their metadata) that belong to it; inside
 * the bundle's files, per package, from the `// ../../node_modules/<package>/…` and `// src/…` lines
 * esbuild writes before each module (not minified).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package or source folder of each line of a bundle file, from esbuild's module comments. */
function packagesByLine(file) {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').split('\n');
  const owner = new Array(lines.length);
  let current = '(bundle glue)';
  for (let i = 0; i < lines.length; i++) {
    const m = /^\/\/ (\S+)$/.exec(lines[i]);
    if (m) current = packageOf(m[1]);
    owner[i] = current;
  }
  return owner;
}

function packageOf(path) {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1];
  const src = /(?:^|\/)src\/([^/]+)/.exec(path);
  if (src) return `propusk src/${src[1].replace(/\.ts$/, '')}`;
  const ws = /packages\/([^/]+)/.exec(path);
  if (ws) return `@propusk/${ws[1]}`;
  return path;
}

/** Source bytes per package of one bundle file. */
function sourceBytesByPackage(file, into) {
  const lines = readFileSync(file, 'utf8').split('\n');
  let current = '(bundle glue)';
  for (const line of lines) {
    const m = /^\/\/ (\S+)$/.exec(line);
    if (m) current = packageOf(m[1]);
    const g = into.get(current) ?? { name: current, source: 0, code: 0 };
    g.source += Buffer.byteLength(line) + 1;
    into.set(current, g);
  }
}

export function summariseSnapshot(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const meta = snap.snapshot.meta;
  const NF = meta.node_fields.length;
  const EF = meta.edge_fields.length;
  const types = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const { nodes: N, edges: E, strings: S } = snap;
  const TYPE = meta.node_fields.indexOf('type');
  const NAME = meta.node_fields.indexOf('name');
  const SELF = meta.node_fields.indexOf('self_size');
  const EDGES = meta.node_fields.indexOf('edge_count');
  const ETYPE = meta.edge_fields.indexOf('type');
  const ENAME = meta.edge_fields.indexOf('name_or_index');
  const ETO = meta.edge_fields.indexOf('to_node');
  const count = N.length / NF;
  const WEAK = edgeTypes.indexOf('weak');
  const SHORTCUT = edgeTypes.indexOf('shortcut');

  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += N[i * NF + EDGES] * EF;
  }
  firstEdge[count] = E.length;
  const typeOf = (n) => types[N[n * NF + TYPE]];
  const nameOf = (n) => S[N[n * NF + NAME]];
  const selfOf = (n) => N[n * NF + SELF];

  // Dominators (Cooper, Harvey, Kennedy) over strong edges from the root (node 0).
  const order = new Int32Array(count).fill(-1); // post-order index
  const post = [];
  {
    const stack = [0];
    const edgeCursor = new Uint32Array(count);
    const visited = new Uint8Array(count);
    visited[0] = 1;
    edgeCursor[0] = firstEdge[0];
    while (stack.length) {
      const n = stack[stack.length - 1];
      let pushed = false;
      while (edgeCursor[n] < firstEdge[n + 1]) {
        const e = edgeCursor[n];
        edgeCursor[n] += EF;
        const t = E[e + ETYPE];
        if (t === WEAK || t === SHORTCUT) continue;
        const to = E[e + ETO] / NF;
        if (visited[to]) continue;
        visited[to] = 1;
        edgeCursor[to] = firstEdge[to];
        stack.push(to);
        pushed = true;
        break;
      }
      if (!pushed) {
        stack.pop();
        order[n] = post.length;
        post.push(n);
      }
    }
  }
  const preds = Array.from({ length: count }, () => []);
  for (let n = 0; n < count; n++) {
    if (order[n] < 0) continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) {
      const t = E[e + ETYPE];
      if (t === WEAK || t === SHORTCUT) continue;
      const to = E[e + ETO] / NF;
      if (order[to] >= 0) preds[to].push(n);
    }
  }
  const idom = new Int32Array(count).fill(-1);
  idom[0] = 0;
  const intersect = (a, b) => {
    while (a !== b) {
      while (order[a] < order[b]) a = idom[a];
      while (order[b] < order[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = post.length - 2; i >= 0; i--) {
      const n = post[i];
      let d = -1;
      for (const p of preds[n]) if (idom[p] >= 0) d = d < 0 ? p : intersect(p, d);
      if (d >= 0 && idom[n] !== d) {
        idom[n] = d;
        changed = true;
      }
    }
  }
  const retained = new Float64Array(count);
  for (const n of post) retained[n] += selfOf(n);
  for (const n of post) if (n !== 0 && idom[n] >= 0 && idom[n] !== n) retained[idom[n]] += retained[n];

  const groupKey = (n) => {
    const t = typeOf(n);
    if (t === 'object' || t === 'native') return nameOf(n);
    if (t === 'closure') return `${nameOf(n) || '(anonymous)'}()`;
    if (t === 'concatenated string' || t === 'sliced string') return '(string)';
    if (t === 'code' || t === 'hidden' || t === 'object shape') return /^system \/ \w+/.exec(nameOf(n))?.[0] ?? `(${t})`;
    return `(${t})`;
  };
  const byType = new Map();
  const byConstructor = new Map();
  let totalSelf = 0;
  for (let n = 0; n < count; n++) {
    if (order[n] < 0) continue; // unreachable from the root: not live
    const self = selfOf(n);
    totalSelf += self;
    const t = byType.get(typeOf(n)) ?? { name: typeOf(n), count: 0, self: 0, retained: 0 };
    t.count++;
    t.self += self;
    byType.set(t.name, t);
    const key = groupKey(n);
    const g = byConstructor.get(key) ?? { name: key, count: 0, self: 0, retained: 0 };
    g.count++;
    g.self += self;
    // Retained size of a group: of its objects not dominated by another object of the same group.
    // (Up to 64 dominators up: a deeper chain counts as not nested, an approximation.)
    let d = idom[n];
    for (let steps = 0; d > 0 && steps < 64 && groupKey(d) !== key; steps++) d = idom[d];
    if (d > 0 && groupKey(d) !== key) d = 0;
    if (d <= 0) g.retained += retained[n];
    byConstructor.set(key, g);
  }

  // Scripts: source strings, and compiled functions by their SharedFunctionInfo's `script` edge.
  const edgeName = (e) => {
    const t = edgeTypes[E[e + ETYPE]];
    return t === 'element' || t === 'hidden' || t === 'weak' ? String(E[e + ENAME]) : S[E[e + ENAME]];
  };
  const scriptName = (n) => {
    const name = nameOf(n);
    if (name.startsWith('node:') || !name.includes('/')) return "Node's own JavaScript (node:*)";
    return name.replace(/^file:\/\/.*\/packages\/server\/dist\//, 'dist/');
  };
  const byScript = new Map();
  const scriptGroup = (name) => {
    const g = byScript.get(name) ?? { name, source: 0, code: 0 };
    byScript.set(name, g);
    return g;
  };
  /** Code-kind objects an SFI owns (bytecode and its tables, scope info, feedback metadata). */
  const ownedCode = (sfi) => {
    let size = selfOf(sfi);
    for (let e = firstEdge[sfi]; e < firstEdge[sfi + 1]; e += EF) {
      const to = E[e + ETO] / NF;
      if (E[e + ETYPE] === WEAK || typeOf(to) !== 'code' || idom[to] !== sfi) continue;
      size += retained[to];
    }
    return size;
  };
  const sfiScript = new Int32Array(count).fill(-1);
  for (let n = 0; n < count; n++) {
    if (order[n] < 0 || typeOf(n) !== 'code') continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e += EF) {
      const name = edgeName(e);
      const to = E[e + ETO] / NF;
      if (name === 'source' && typeOf(to) !== 'code') scriptGroup(scriptName(n)).source += selfOf(to);
      else if (name === 'script' && typeOf(to) === 'code') {
        sfiScript[n] = to;
        scriptGroup(scriptName(to)).code += ownedCode(n);
      }
    }
  }

  // Inside the bundle: the package of each compiled function, from its closure's location.
  const byPackage = new Map();
  const lineOwners = new Map();
  const counted = new Uint8Array(count);
  const loc = snap.locations ?? [];
  for (let i = 0; i + 3 < loc.length; i += 4) {
    const closure = loc[i] / NF;
    const line = loc[i + 2];
    let sfi = -1;
    for (let e = firstEdge[closure]; e < firstEdge[closure + 1]; e += EF) if (edgeName(e) === 'shared') sfi = E[e + ETO] / NF;
    if (sfi < 0 || counted[sfi] || sfiScript[sfi] < 0) continue;
    const url = nameOf(sfiScript[sfi]);
    if (!url.startsWith('file:') || !url.includes('/dist/')) continue;
    if (!lineOwners.has(url)) lineOwners.set(url, packagesByLine(fileURLToPath(url)));
    const owner = lineOwners.get(url)?.[line];
    if (!owner) continue;
    counted[sfi] = 1;
    const g = byPackage.get(owner) ?? { name: owner, source: 0, code: 0 };
    g.code += ownedCode(sfi);
    byPackage.set(owner, g);
  }
  for (const url of lineOwners.keys()) sourceBytesByPackage(fileURLToPath(url), byPackage);

  const topRetainers = [];
  for (let n = 1; n < count; n++) {
    const t = typeOf(n);
    if (order[n] < 0 || t === 'synthetic' || t === 'hidden') continue;
    topRetainers.push({ name: `${groupKey(n)}${t === 'code' ? ` ${nameOf(n).slice(0, 80)}` : ''} @${N[n * NF + meta.node_fields.indexOf('id')]}`, retained: retained[n] });
  }
  topRetainers.sort((a, b) => b.retained - a.retained);

  const sortBy = (m, f) => [...m.values()].sort((a, b) => f(b) - f(a));
  return {
    nodes: count,
    totalSelf,
    byType: sortBy(byType, (g) => g.self),
    byConstructor: sortBy(byConstructor, (g) => g.self),
    byScript: sortBy(byScript, (g) => g.source + g.code),
    byPackage: sortBy(byPackage, (g) => g.source + g.code),
    topRetainers: topRetainers.slice(0, 40),
  };
}
