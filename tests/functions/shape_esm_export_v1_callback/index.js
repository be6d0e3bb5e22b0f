export function lambda(input, callback) {
  setTimeout(() => callback(null, 'esm callback'), 1);
}
