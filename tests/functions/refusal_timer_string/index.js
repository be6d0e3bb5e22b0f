// Node's timers take a function; a string of code is refused.
async function lambda(input) {
  setTimeout('console.log("code")', 1);
  return 'unreachable';
}
