async function lambda(input) {
  return { count: 10n };
}
