// util.format with every specifier Node knows.
const util = require('node:util');
async function lambda(input) {
  return [
    util.format('%s:%d:%i:%f', 'a', '42.5', '42.5', '42.5'),
    util.format('%j', { a: [1] }),
    util.format('%i', 3.9),
    util.format('%d', 10n),
    util.format('100%% %s', 'sure'),
    util.format('%s %s', 'only one'),
    util.format('no specifiers', 1, 'two'),
    util.format('%c%s', 'color: red', 'styled'),
  ];
}
