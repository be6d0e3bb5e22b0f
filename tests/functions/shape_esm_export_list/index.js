async function lambda(input) {
  return 'exported with an export list';
}

export { lambda };
