async function lambda(input) {
  return 'module.exports = { lambda }';
}
module.exports = { lambda };
