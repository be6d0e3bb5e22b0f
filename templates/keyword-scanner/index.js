// Keyword Scanner: when a messaging conversation ends, reads its transcript and reports the
// messages that mention one of the keywords (environment variable KEYWORDS, comma separated).
//
// ConversationUtil reads the transcript from the platform's messaging history with the
// account's default app key (system secret); the platform's domains must be on the allowlist.
// Returns [] so that the conversation end triggers no automatic message.
const { Toolbelt } = require('lp-faas-toolbelt');

const KEYWORDS = (process.env.KEYWORDS || 'cancel,refund,complaint,lawyer')
  .split(',')
  .map((k) => k.trim())
  .filter(Boolean);

async function lambda(input) {
  const { general = {}, end = {} } = input.payload || {};
  const conversationId = general.convId;
  if (!conversationId) {
    console.warn('No conversation id in the event; nothing to scan');
    return [];
  }
  const conversationUtil = Toolbelt.ConversationUtil();
  const conversation = await conversationUtil.getConversationById(conversationId, ['messageRecords']);
  const hits = conversationUtil.scanConversationForKeywords(conversation, KEYWORDS);
  if (hits.length === 0) {
    console.info(`Conversation ${conversationId} (closed by ${end.closeReason}): no keywords`);
  } else {
    for (const hit of hits) {
      console.warn(`Keyword "${hit.tag}" in a message by ${hit.sentBy}`, {
        conversationId,
        message: hit.message,
        sentTimestamp: hit.sentTimestamp,
      });
    }
  }
  return [];
}
