async function lambda(input) {
  const date = new Date('2024-05-06T07:08:09.010Z');
  const original = {
    map: new Map([['a', 1], ['b', { deep: true }]]),
    set: new Set([1, 2, 3]),
    date,
    regexp: /ab+c/gi,
    bytes: new Uint8Array([1, 2, 3]),
    nested: { list: [1, { two: 2 }] },
  };
  original.self = original;
  const copy = structuredClone(original);
  return {
    distinct: copy !== original && copy.map !== original.map && copy.nested !== original.nested,
    isMap: copy.map instanceof Map,
    mapEntries: [...copy.map.entries()],
    isSet: copy.set instanceof Set,
    setValues: [...copy.set],
    isDate: copy.date instanceof Date,
    sameTime: copy.date.getTime() === date.getTime(),
    regexp: [copy.regexp.source, copy.regexp.flags],
    bytes: Array.from(copy.bytes),
    nested: copy.nested,
    cycleKept: copy.self === copy,
  };
}
