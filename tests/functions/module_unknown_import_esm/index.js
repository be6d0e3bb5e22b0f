import express from 'express';

export async function lambda(input) {
  return 'unreachable';
}
