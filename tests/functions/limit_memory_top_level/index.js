const hoard = [];
while (true) hoard.push(new Array(1000).fill('x'));

async function lambda(input) {
  return 'unreachable';
}
