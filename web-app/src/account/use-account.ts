import { useSyncExternalStore } from 'react';
import { type Account, getAccount } from './account';
import type { AccountState } from './account-store';

/** The account and its state; re-renders on sign-in/out, token changes and changes from other tabs. */
export function useAccount(account: Account = getAccount()): { account: Account; state: AccountState } {
  const state = useSyncExternalStore(account.store.subscribe, account.store.get);
  return { account, state };
}
