#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader (see docs/decisions/2026-11-26-typescript-runs-from-source-through-tsx.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
