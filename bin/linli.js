#!/usr/bin/env node
// `linli`, the admin command line (`npx linli --help`). The code is TypeScript, run through tsx
// like `npm start`: its loader is registered first, then the entry point is imported.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/linli.ts');
