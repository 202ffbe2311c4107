export * from './ai';
export * from './ai-version';
export * from './auth';
export * from './common';
export * from './files';
export * from './health';
export * from './similar';
export * from './sync';
