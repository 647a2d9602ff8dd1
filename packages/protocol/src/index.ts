export * from './registry/index.ts';
export * from './registry/row-schema.ts';
export * from './errors.ts';
export * from './ids.ts';
export * from './auth.ts';
export * from './push.ts';
export * from './pull.ts';
export * from './admin.ts';
