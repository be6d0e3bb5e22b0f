// An error thrown by a queueMicrotask callback is uncaught: it fails the invocation, as one thrown
// by a timer does.
function lambda(input, callback) {
  queueMicrotask(() => {
    throw new Error('thrown inside a microtask');
  });
  setTimeout(() => callback(null, 'too late'), 50);
}
