// Messaging Survey: the post conversation survey bot calls this function when a survey starts
// and when it ends (completed, skipped or timed out). The bot does not process the result in
// detail: answering "ok" is enough. Use it to record survey activity or notify other systems.
async function lambda(input) {
  const p = input.payload || {};
  const survey = (p.dialogs || []).find((d) => d.dialogType === 'POST_SURVEY');
  const last = p.lastContentEventNotification || {};
  const answer = last.event && last.event.message;
  if (!survey) {
    console.warn(`Conversation ${p.conversationId}: no survey dialog in the event`);
  } else if (survey.state === 'OPEN') {
    console.info(`Survey ${p.surveyId} started on conversation ${p.conversationId}`, { skillId: p.skillId });
  } else {
    console.info(`Survey ${p.surveyId} ended on conversation ${p.conversationId}: ${survey.closedCause}`, {
      lastAnswer: answer,
      lastQuestionId: p.lastQuestionId,
    });
  }
  return 'ok';
}
