const seen = new Map();

export default async function (input) {
  seen.set(seen.size, Date.now());
  return seen.size;
}
