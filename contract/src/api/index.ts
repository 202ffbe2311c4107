export * from './auth';
export * from './common';
export * from './files';
export * from './health';
export * from './similar';
export * from './sync';
export * from './ai';
