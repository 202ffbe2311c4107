import type { AccountState } from '../account/account-store';
import { isApiError } from '../account/api-error';

export const NO_SERVER_MESSAGE = 'Connect a SampleMind server in Settings to use AI.';
export const SIGNED_OUT_MESSAGE = 'Sign in to your SampleMind server in Settings to use AI.';
export const NO_PROVIDER_MESSAGE = 'The server has no AI provider configured.';

/** Why AI cannot be used right now without asking the server, or null when it may work. */
export function aiBlocker(state: AccountState): string | null {
  if (!state.loaded) return null;
  if (!state.serverUrl) return NO_SERVER_MESSAGE;
  if (!state.session) return state.endedReason ?? SIGNED_OUT_MESSAGE;
  return null;
}

const waitText = (sec: number) =>
  sec >= 3600
    ? `${Math.round(sec / 3600)} h`
    : sec >= 90
      ? `${Math.round(sec / 60)} min`
      : `${Math.ceil(sec)} s`;

/** One sentence for the user about a failed AI call. */
export function describeAiError(err: unknown): string {
  if (!isApiError(err)) return err instanceof Error ? err.message : String(err);
  switch (err.kind) {
    case 'no-server':
      return NO_SERVER_MESSAGE;
    case 'signed-out':
      return err.code === 'session-ended' ? err.message : SIGNED_OUT_MESSAGE;
    case 'cancelled':
      return 'Cancelled.';
    case 'unreachable':
    case 'bad-response':
      return err.message;
  }
  if (err.code === 'ai-not-configured') return NO_PROVIDER_MESSAGE;
  const retry = err.retryAfterSec;
  return retry !== undefined && err.status === 429
    ? `${err.message} Try again in ${waitText(retry)}.`
    : err.message;
}
