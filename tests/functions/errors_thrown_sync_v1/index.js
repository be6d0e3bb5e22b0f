function lambda(input, callback) {
  throw new Error('thrown before calling back');
}
