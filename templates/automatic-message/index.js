// Automatic Message: Automatic Messages calls this function on messaging conversation events and
// acts on the array of commands it returns:
//   { type: 'systemMessage', text }            sends a message to the consumer
//   { type: 'transfer', skillId, agentId? }     transfers the conversation
//   { type: 'closeConversation' }               closes it
// [] does nothing; returning nothing sends the account's default automatic message. Only the
// first command of each type is used. Keep it fast: the platform retries slow or failing calls.
const MESSAGES = {
  CONSUMER_OPEN_NEW_CONVERSATION_FIRST_TIME: 'Welcome! Thanks for contacting us for the first time. An agent will be with you shortly.',
  CONSUMER_OPEN_NEW_CONVERSATION: 'Welcome back! An agent will be with you shortly.',
  CONSUMER_OPEN_NEW_CONVERSATION_AFTER_AUTOCLOSE: 'Welcome back! Let us pick up where we left off.',
  CONSUMER_OPEN_NEW_CONVERSATION_OFF_HOURS: 'Thanks for your message. We are closed right now and will answer as soon as we open.',
  CONSUMER_OPEN_NEW_CONVERSATION_FIRST_TIME_OFF_HOURS: 'Welcome! We are closed right now and will answer as soon as we open.',
  CONV_AWAITING_IN_QUEUE: 'Thanks for waiting. All our agents are busy; you are next in line.',
  AGENT_NON_RESPONSIVE: 'Sorry for the wait. Your agent will be right with you.',
  CONSUMER_NON_RESPONSIVE: 'Are you still there? Reply to continue the conversation.',
  ENGAGEMENT_TRANSFERED: 'We are transferring you to a specialist who can help further.',
  CONSUMER_SEND_MESSAGE_ON_OFFHOURS: 'We are outside our opening hours. We will answer as soon as we are back.',
  YOU_ARE_CONNECTED_TO: 'You are now connected to an agent.',
  BACK_TO_QUEUE: 'We are finding another agent for you.',
  CONSUMER_ASKED_URGENT_RESPONSE_TIME: 'We marked your conversation as urgent.',
  CONSUMER_CANCELED_URGENT_RESPONSE_TIME: 'Your conversation is no longer marked as urgent.',
  CONSUMER_STEP_UP: 'Thanks for signing in. Your agent can now see your account.',
  CONSUMER_END_CONVERSATION: 'Thanks for chatting with us. Goodbye!',
  AGENT_END_CONVERSATION: 'Thanks for chatting with us. Goodbye!',
};

function lambda(input, callback) {
  const { general = {} } = input.payload || {};
  const eventType = general.cbotEventType;
  const text = MESSAGES[eventType];
  console.info(`Conversation ${general.convId}: ${eventType}`);
  if (!text) {
    // An event this function does not handle: no action (the default message is not sent).
    return callback(null, []);
  }
  callback(null, [{ type: 'systemMessage', text }]);
}
