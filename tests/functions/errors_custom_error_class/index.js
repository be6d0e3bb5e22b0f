class NotFoundError extends Error {
  constructor(what) {
    super(`${what} was not found`);
    this.name = 'NotFoundError';
  }
}

async function lambda(input) {
  throw new NotFoundError('conversation 4711');
}
