// Third-Party Bots Pre-Hook: runs on every consumer message before the bot vendor is called.
// It receives the payload the connector is about to send and returns it, modified as needed.
async function lambda(input) {
  const payload = input.payload || {};
  const message = typeof payload.message === 'string' ? payload.message.trim() : payload.message;
  console.info(`Pre-hook for conversation ${payload.convId}`);
  return {
    ...payload,
    message,
    context: { ...(payload.context || {}), conversationId: payload.convId },
  };
}
