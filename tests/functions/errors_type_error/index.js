async function lambda(input) {
  const conversation = null;
  return conversation.id;
}
