// A tiny element builder: h('td', { class: 'num', title: '…' }, 'text', child, [children]).
// Strings become text nodes (never HTML), so chain data cannot inject markup.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A table with a caption, header cells and rows of cells (`h('td', …)` or plain values). */
export function table(caption, headers, rows, attrs = {}) {
  return h(
    'table',
    attrs,
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((x) => h('th', { scope: 'col' }, x)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((c) => (c instanceof Node ? c : h('td', {}, c))),
        ),
      ),
    ),
  );
}

/** A term/definition list from `[term, value]` pairs. */
export const facts = (pairs, attrs = {}) =>
  h(
    'dl',
    { class: 'facts', ...attrs },
    pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
  );

/** A number cell, right-aligned, with the exact value as a tooltip. */
export const num = (shown, exact) => h('td', { class: 'num', title: exact }, shown);

/** A status badge: text plus a class for its colour; the text carries the meaning. */
export const badge = (label, kind) => h('span', { class: `badge ${kind}` }, label);
