// Timer handles behave like Node's: objects with ref/unref/hasRef that convert to a number id.
async function lambda(input) {
  const fired = [];
  const t = setTimeout(() => fired.push('cleared by id'), 1);
  const out = {
    type: typeof t,
    chained: t.unref() === t && t.ref() === t,
    hasRef: t.hasRef(),
    numericId: typeof +t === 'number' && +t > 0,
  };
  clearTimeout(+t); // clearing by the numeric id works too
  const u = setTimeout(() => fired.push('cleared by handle'), 1);
  clearTimeout(u);
  const i = setInterval(() => fired.push('cleared interval'), 1);
  clearInterval(i);
  clearTimeout(undefined); // no-ops
  clearTimeout(null);
  clearTimeout(12345);
  await new Promise((resolve) => setTimeout(resolve, 10));
  out.fired = fired;
  return out;
}
