async function lambda(input) {
  const o = { name: 'o', list: [1] };
  o.self = o;
  o.list.push(o);
  console.log('circular', o);
  console.log(o);
  return 'ok';
}
