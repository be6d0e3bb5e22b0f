// Where no host serves "http.fetch" (here the bare runtime), fetch rejects with a TypeError
// saying why.
async function lambda() {
  try {
    await fetch('https://api.example.com/');
    return 'reached';
  } catch (e) {
    return { name: e.name, message: e.message, code: e.cause.code };
  }
}
