// Timers an invocation leaves behind die with it: the next invocation does not see them run.
let ticks = 0;
let calls = 0;

async function lambda(input) {
  calls += 1;
  if (calls === 1) {
    setInterval(() => { ticks += 1; console.log('leftover tick'); }, 1);
    setTimeout(() => { ticks += 100; }, 5);
    return 'left an interval and a timeout behind';
  }
  const before = ticks;
  await new Promise((resolve) => setTimeout(resolve, 30));
  return { ticksDuringSecondCall: ticks - before };
}
