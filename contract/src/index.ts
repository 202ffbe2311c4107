export * from './analysis';
export * from './api';
export * from './features';
export * from './keys';
