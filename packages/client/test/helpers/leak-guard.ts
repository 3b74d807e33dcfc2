import { afterAll, expect } from 'vitest';
import { collectedErrors, leaks } from './errors.js';

// Runs after every test file: no error that file's tests caught may render a consumer key or secret.
afterAll(() => {
  const errors = collectedErrors();
  const found = errors.flatMap((e) => leaks(e));
  expect(found).toEqual([]);
});
