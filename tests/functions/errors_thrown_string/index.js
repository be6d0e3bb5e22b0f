async function lambda(input) {
  throw 'a thrown string';
}
