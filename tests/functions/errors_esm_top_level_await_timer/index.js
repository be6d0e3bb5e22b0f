// Top-level code cannot wait for a timer: a clear error rather than a hang.
await new Promise((resolve) => setTimeout(resolve, 10));

export async function lambda(input) {
  return 'unreachable';
}
