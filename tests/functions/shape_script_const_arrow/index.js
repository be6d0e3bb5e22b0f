const lambda = async (input) => `arrow ${input.payload.n}`;
