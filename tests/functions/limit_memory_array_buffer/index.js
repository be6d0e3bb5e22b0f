async function lambda(input) {
  const big = new ArrayBuffer(2 ** 31);
  return big.byteLength;
}
