function handler(input, callback) {
  callback(null, 'not called: there is no lambda');
}
