async function lambda(input) {
  const hoard = [];
  for (let i = 0; ; i++) {
    hoard.push({ i, text: `item ${i} `.repeat(20).split(' ') });
  }
}
