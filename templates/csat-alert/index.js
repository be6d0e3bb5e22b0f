// CSAT Alert: after the post-chat survey, the chat server e-mails the transcript to every
// {targetEmail, senderName, senderEmail, subject} this function returns. A low satisfaction
// rank (CSAT_THRESHOLD, default 3) alerts the supervisor in SUPERVISOR_EMAIL; [] sends nothing.
function lambda(input, callback) {
  const { csatRank, skillName, agentName, questionWithAnswers = [] } = input.payload || {};
  const threshold = Number(process.env.CSAT_THRESHOLD || 3);
  if (typeof csatRank !== 'number' || csatRank > threshold) {
    console.info(`CSAT ${csatRank} on ${skillName}: no alert`);
    return callback(null, []);
  }
  const answers = questionWithAnswers.map((q) => `${q.question} ${q.answer}`).join(' | ');
  console.warn(`Low CSAT ${csatRank} for ${agentName} on ${skillName}`, { answers });
  callback(null, [
    {
      targetEmail: process.env.SUPERVISOR_EMAIL || 'supervisor@example.com',
      senderName: 'CSAT Alerts',
      senderEmail: process.env.SENDER_EMAIL || 'no-reply@example.com',
      subject: `Low CSAT (${csatRank}) for ${agentName} on ${skillName}`,
    },
  ]);
}
