export * from '@samplemind/contract';
