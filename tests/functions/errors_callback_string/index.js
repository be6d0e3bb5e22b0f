function lambda(input, callback) {
  callback('a plain string error');
}
