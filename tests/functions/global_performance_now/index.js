async function lambda(input) {
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const t1 = performance.now();
  const origin = performance.timeOrigin + performance.now();
  return {
    type: typeof t0,
    elapsedAtLeastTimer: t1 - t0 >= 19,
    elapsedReasonable: t1 - t0 < 5000,
    fractional: performance.now() % 1 !== 0 || performance.now() % 1 !== 0,
    originMatchesDateNow: Math.abs(origin - Date.now()) < 1000,
  };
}
