// Third-Party Bots Post-Hook: runs after the bot vendor answered a consumer message and before
// the answer reaches the conversation. It returns the vendor response, modified as needed:
// here empty messages are dropped and a fallback is sent when nothing is left.
async function lambda(input) {
  const response = input.payload || {};
  const messages = (response.messages || []).filter(
    (m) => m !== null && m !== undefined && !(typeof m === 'string' && m.trim() === '')
  );
  if (messages.length === 0) {
    console.warn('The bot answered nothing; sending a fallback message');
    messages.push('Sorry, I did not get that. Could you rephrase?');
  }
  return { ...response, context: response.context || {}, messages };
}
