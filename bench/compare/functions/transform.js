// Transform: a ~50 KB order list in, per-country revenue, the top customers and the open orders out.
function handle(payload) {
  const byCountry = {};
  const byCustomer = {};
  const open = [];
  for (const o of payload.orders) {
    let total = 0;
    let units = 0;
    for (const item of o.items) {
      total += item.qty * item.price;
      units += item.qty;
    }
    total = Math.round(total * 100) / 100;
    const c = byCountry[o.customer.country] || (byCountry[o.customer.country] = { orders: 0, revenue: 0 });
    c.orders += 1;
    c.revenue = Math.round((c.revenue + total) * 100) / 100;
    byCustomer[o.customer.id] = (byCustomer[o.customer.id] || 0) + total;
    if (o.status === 'open') {
      open.push({ id: o.id, customer: o.customer.name.toUpperCase(), units, total, tags: o.tags.filter((t) => t !== 'internal') });
    }
  }
  const top = Object.entries(byCustomer)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([id, total]) => ({ id, total: Math.round(total * 100) / 100 }));
  return { orders: payload.orders.length, countries: byCountry, top, open };
}
