export const lambda = async (input) => ({ kind: 'export const', n: input.payload.n + 1 });
