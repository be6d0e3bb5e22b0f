// Conversational Command: an agent types "/<function name> <arguments>" in the Agent Workspace.
// The function receives the conversation id and the arguments; the string (or number) it
// returns is shown to the agent only and is not stored in the transcript. A thrown Error is
// shown as an error. Describe the arguments in the function's description, e.g.
// "[text] - repeats the text back to you".
async function lambda(input) {
  const { conversationId, arguments: args = [] } = input.payload || {};
  if (args.length === 0) {
    throw new Error('Usage: /<command> <text>');
  }
  console.info(`Command in conversation ${conversationId}`, args);
  const [first, ...rest] = args;
  if (first === 'echo') {
    return rest.join(' ');
  }
  return `Received ${args.length} argument(s): ${args.join(' ')}`;
}
