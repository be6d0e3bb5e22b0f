import util from 'node:util';

export async function lambda(input) {
  return [
    util.format('%s has %d items', 'cart', 3),
    util.format('%j', { a: [1, 2] }),
    util.format('100%% %s', 'done'),
    util.format('extra', 'args', 1),
  ];
}
