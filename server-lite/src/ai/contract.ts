// The AI schemas live in the shared contract (contract/src/api/ai.ts). Until the contract's root
// re-exports the api folder, they are imported by path here, so switching is one line.
export * from '../../../contract/src/api/ai';
