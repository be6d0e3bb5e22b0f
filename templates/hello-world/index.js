// Hello World: answers with a greeting for `payload.name` (or "World").
// Invoke it with a payload such as {"name": "Ada"}.
async function lambda(input) {
  const name = (input.payload && input.payload.name) || 'World';
  console.info('Greeting', name);
  return { message: `Hello ${name}!` };
}
