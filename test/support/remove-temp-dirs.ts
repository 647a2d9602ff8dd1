/** Vitest setup file: every test file ends by removing the temp folders it made (see temp-dir.ts). */
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir.ts';

afterAll(() => removeTempDirs());
