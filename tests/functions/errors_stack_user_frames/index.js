function validate(payload) {
  if (!payload.id) {
    throw new Error('payload.id is required');
  }
}

function handle(input) {
  validate(input.payload);
}

async function lambda(input) {
  handle(input);
  return 'unreachable';
}
