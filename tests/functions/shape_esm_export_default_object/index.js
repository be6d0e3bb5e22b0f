const handler = {
  async lambda(input) { return 'lambda of the default-exported object'; },
};
export default handler;
