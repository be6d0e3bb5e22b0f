// Chat Post Survey E-Mail Transcript: after a chat's post-chat survey, the chat server e-mails
// the transcript to every {targetEmail, senderName, senderEmail, subject} returned here (there
// is no retry). This one routes transcripts by skill; [] sends none.
const TEAM_BY_SKILL = {
  CustomerCare: 'customer-care@example.com',
  Sales: 'sales@example.com',
};

function lambda(input, callback) {
  const { skillName, agentName, csatRank } = input.payload || {};
  const targetEmail = TEAM_BY_SKILL[skillName] || process.env.DEFAULT_TRANSCRIPT_EMAIL;
  if (!targetEmail) {
    console.info(`No transcript recipient for skill ${skillName}`);
    return callback(null, []);
  }
  callback(null, [
    {
      targetEmail,
      senderName: 'Chat Transcripts',
      senderEmail: process.env.SENDER_EMAIL || 'no-reply@example.com',
      subject: `Chat with ${agentName} (${skillName}), CSAT ${csatRank}`,
    },
  ]);
}
