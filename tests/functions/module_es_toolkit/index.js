import { chunk, groupBy, debounce, camelCase } from 'es-toolkit';
import compat from 'es-toolkit/compat';

export async function lambda(input) {
  return {
    chunk: chunk([1, 2, 3, 4, 5], 2),
    groupBy: groupBy(['apple', 'avocado', 'banana'], (s) => s[0]),
    camelCase: camelCase('hello-world_again'),
    debounce: typeof debounce,
    compatGet: compat.get({ a: [{ b: 3 }] }, 'a[0].b'),
  };
}
