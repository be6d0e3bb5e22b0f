// Route to the Last Agent: when the agent who was assigned to a conversation leaves it (or the
// conversation goes back to the queue), transfer it back to that agent, on the skill in the
// environment variable TRANSFER_SKILL_ID. Any other participants change gets no action.
//
// Automatic Messages acts on an array of commands: systemMessage, transfer, closeConversation.
// [] means "do nothing"; only the first command of each type is used.
const HANDBACK_EVENTS = new Set(['BACK_TO_QUEUE', 'JOINED_AGENT_LEFT_CONVERSATION']);

function lambda(input, callback) {
  const { general = {}, participantChange = {} } = input.payload || {};
  if (!HANDBACK_EVENTS.has(general.cbotEventType)) {
    console.info(`No routing for ${general.cbotEventType}`);
    return callback(null, []);
  }
  const stillHere = new Set((participantChange.newParticipants || []).map((p) => p.id));
  const lastAgent = (participantChange.oldParticipants || [])
    .filter((p) => p.role === 'ASSIGNED_AGENT' && !stillHere.has(p.id))
    .pop();
  if (!lastAgent) {
    console.info('No agent left the conversation; nothing to route');
    return callback(null, []);
  }
  const skillId = process.env.TRANSFER_SKILL_ID;
  if (!skillId) {
    return callback(new Error('Set the environment variable TRANSFER_SKILL_ID to the skill to transfer on'));
  }
  console.info(`Routing conversation ${general.convId} back to agent ${lastAgent.id}`);
  callback(null, [
    { type: 'systemMessage', text: 'Connecting you back to the agent you were talking to.' },
    { type: 'transfer', skillId, agentId: lastAgent.id },
  ]);
}
