async function lambda(input) {
  const errors = [];
  try { btoa('€'); } catch (e) { errors.push(e.name); }
  try { atob('@@@@'); } catch (e) { errors.push(e.name); }
  return {
    btoa: btoa('hello world'),
    atob: atob('aGVsbG8gd29ybGQ='),
    unpadded: atob('aGk'),
    whitespace: atob(' aGVs bG8= '),
    binary: btoa(String.fromCharCode(0, 255, 128)),
    errors,
  };
}
