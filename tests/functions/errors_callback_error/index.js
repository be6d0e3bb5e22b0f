function lambda(input, callback) {
  setTimeout(() => callback(new Error('callback failure')), 1);
}
