#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, as clinicsync-server does.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
