import { type Account, getAccount } from '../account/account';
import { AiClient } from './ai-client';
import { type AiDb, getAiDb } from './ai-store';

export type AiServices = { account: Account; client: AiClient; db: AiDb };

let shared: AiServices | null = null;

/** The account, the AI client on its connection and the local AI database (one each per page). */
export function getAiServices(): AiServices {
  if (!shared) {
    const account = getAccount();
    shared = { account, client: new AiClient(account.api), db: getAiDb() };
  }
  return shared;
}

export function setAiServices(services: AiServices | null): void {
  shared = services;
}
