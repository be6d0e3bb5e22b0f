function lambda(input, callback) {
  callback(null, undefinedVariable + 1);
}
