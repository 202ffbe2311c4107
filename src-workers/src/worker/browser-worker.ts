// Thin adapter: exposes the engine API on the worker's global scope.
import { expose } from 'comlink';
import { engineApi } from './engine-api';

expose(engineApi);
