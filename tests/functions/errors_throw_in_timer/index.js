function lambda(input, callback) {
  setTimeout(() => {
    throw new Error('thrown inside a timer');
  }, 1);
  setTimeout(() => callback(null, 'too late'), 50);
}
