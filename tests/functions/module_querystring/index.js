import qs from 'querystring';
import { stringify } from 'node:querystring';

export async function lambda(input) {
  return {
    parse: qs.parse('a=1&b=two%20words&b=again&c=&d'),
    stringify: stringify({ name: 'Ada Lovelace', tags: ['x', 'y'], empty: '' }),
    escape: qs.escape('a b&c'),
    unescape: qs.unescape('a%20b%26c'),
    customSeparators: qs.parse('a:1;b:2', ';', ':'),
  };
}
