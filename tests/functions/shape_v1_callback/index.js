function lambda(input, callback) {
  callback(null, { greeting: `Hello ${input.payload.name}` });
}
