// Bot Custom Integration: Third-Party Bots calls this function with every consumer message and
// sends back what it returns: {messages, context}. `context` can carry the recognised intent,
// and one action: TRANSFER (to a skill or agent), CLOSE_CONVERSATION or CHANGE_TTR.
const INTENTS = [
  { id: 'human', words: ['agent', 'human', 'person', 'representative'] },
  { id: 'goodbye', words: ['bye', 'goodbye', 'thanks', 'thank you'] },
  { id: 'urgent', words: ['urgent', 'asap', 'emergency'] },
  { id: 'greeting', words: ['hi', 'hello', 'hey'] },
];

function recognise(text) {
  const words = text.toLowerCase().split(/[^a-z]+/).filter(Boolean);
  const phrase = words.join(' ');
  for (const intent of INTENTS) {
    const hit = intent.words.find((w) => (w.includes(' ') ? phrase.includes(w) : words.includes(w)));
    if (hit) return { intentId: intent.id, intentName: intent.id, confidenceScore: 0.9 };
  }
  return { intentId: 'fallback', intentName: 'fallback', confidenceScore: 0.3 };
}

async function lambda(input) {
  const { convId, message = '' } = input.payload || {};
  const intent = recognise(String(message));
  console.info(`Conversation ${convId}: intent ${intent.intentId}`);
  switch (intent.intentId) {
    case 'human':
      return {
        messages: ['Let me connect you with one of our agents.'],
        context: {
          ...intent,
          action: 'TRANSFER',
          actionParameters: { skill: process.env.HUMAN_SKILL || 'human-agents' },
        },
      };
    case 'goodbye':
      return {
        messages: ['Thanks for reaching out. Have a great day!'],
        context: { ...intent, action: 'CLOSE_CONVERSATION' },
      };
    case 'urgent':
      return {
        messages: ['Understood, we will get back to you as fast as we can.'],
        context: { ...intent, action: 'CHANGE_TTR', actionParameters: { ttrType: 'URGENT' } },
      };
    case 'greeting':
      return { messages: ['Hello! How can I help you today?'], context: intent };
    default:
      return {
        messages: [
          `You said: "${message}".`,
          'I can answer questions, connect you with an agent ("agent") or end the chat ("bye").',
        ],
        context: intent,
      };
  }
}
