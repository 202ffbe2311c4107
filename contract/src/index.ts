export * from './analysis';
export * from './features';
export * from './keys';
export * from './api';
