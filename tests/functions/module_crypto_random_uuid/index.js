import crypto from 'crypto';

export async function lambda(input) {
  const ids = Array.from({ length: 50 }, () => crypto.randomUUID());
  return {
    v4: ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)),
    distinct: new Set(ids).size === ids.length,
  };
}
