import _ from 'lodash';

export async function lambda(input) {
  _.noop();
  await null;
  throw new RangeError(`bad range ${_.max([1, 2])}`);
}
