function lambda(input, callback) {
  console.debug('debug message', 1);
  console.info('info message', 'two', 3);
  console.log('log message');
  console.warn('warn message', { nested: { a: [1, 2] } });
  console.error('error message', null, true);
  callback(null, 'ok');
}
