// Third-Party Bots Error-Hook: runs when a connector fails (the vendor or a hook failed). It
// receives the error, the vendor and the payloads; nothing it returns is sent to the bot, so it
// is the place to record or forward the failure.
async function lambda(input) {
  const { error = {}, vendor, faasPayload = {} } = input.payload || {};
  console.error(`Bot connector error ${error.name} (${error.errorId}) with vendor ${vendor}`, {
    conversationId: faasPayload.convId,
    message: faasPayload.message,
  });
  return { logged: true, errorId: error.errorId };
}
