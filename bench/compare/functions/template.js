// Templating: render an HTML page from a table of rows (20 in the benchmark), escaping text.
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
function handle(payload) {
  let rows = '';
  let total = 0;
  for (const r of payload.rows) {
    total += r.amount;
    rows += `<tr class="${r.active ? 'active' : 'inactive'}"><td>${r.id}</td><td>${esc(r.name)}</td>` +
      `<td><a href="mailto:${esc(r.email)}">${esc(r.email)}</a></td><td>${esc(r.city)}</td>` +
      `<td class="num">${r.amount.toFixed(2)}</td><td>${r.active ? 'yes' : 'no'}</td></tr>\n`;
  }
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(payload.title)}</title>` +
    `<style>table{border-collapse:collapse}td{padding:2px 6px}.num{text-align:right}</style></head>\n` +
    `<body><h1>${esc(payload.title)}</h1>\n<table>\n<thead><tr><th>#</th><th>Name</th><th>Email</th>` +
    `<th>City</th><th>Amount</th><th>Active</th></tr></thead>\n<tbody>\n${rows}</tbody>\n` +
    `<tfoot><tr><td colspan="4">Total (${payload.rows.length} rows)</td><td class="num">${total.toFixed(2)}</td>` +
    `<td></td></tr></tfoot>\n</table></body></html>\n`;
}
