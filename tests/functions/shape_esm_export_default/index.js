export default async function (input) {
  return 'default export';
}
