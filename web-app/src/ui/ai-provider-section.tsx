import type { AiProvidersResponse } from '@samplemind/contract';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useAccount } from '../account/use-account';
import { aiBlocker, describeAiError, NO_PROVIDER_MESSAGE } from '../ai/ai-messages';
import { type AiProviderChoice, aiProviderChoice } from '../ai/ai-prefs';
import { getAiServices } from '../ai/ai-services';
import { fmtNum } from './format';

function since(iso: string | null): string {
  if (!iso) return '';
  const sec = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return sec < 90
    ? `${Math.round(sec)} s ago`
    : sec < 5400
      ? `${Math.round(sec / 60)} min ago`
      : `${Math.round(sec / 3600)} h ago`;
}

/** Which AI provider to ask first: the server's list with models and last health, or "automatic". */
export function AiProviderSection() {
  const { state } = useAccount();
  const choice = useSyncExternalStore(aiProviderChoice.subscribe, aiProviderChoice.get);
  const [info, setInfo] = useState<AiProvidersResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const signedIn = !!(state.serverUrl && state.session);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setInfo(await getAiServices().client.providers());
    } catch (e) {
      setInfo(null);
      setError(describeAiError(e));
    } finally {
      setLoading(false);
    }
  }, []);

  // Reload when the server or the user changes, not on every token refresh.
  const who = signedIn ? `${state.serverUrl} ${state.user?.id ?? ''}` : '';
  useEffect(() => {
    if (who) void load();
    else setInfo(null);
  }, [who, load]);

  const blocker = aiBlocker(state);
  const providers = info?.providers ?? [];
  const missing = choice !== 'auto' && info && !providers.some((p) => p.id === choice);
  return (
    <section data-testid="settings-ai">
      <h3>AI descriptions</h3>
      {blocker && state.loaded && (
        <p className="muted" data-testid="settings-ai-blocked">
          {blocker}
        </p>
      )}
      {signedIn && (
        <>
          <div className="row">
            <label htmlFor="ai-provider-select">Provider</label>
            <select
              id="ai-provider-select"
              data-testid="ai-provider-select"
              value={choice}
              onChange={(e) => aiProviderChoice.set(e.target.value as AiProviderChoice)}
            >
              <option value="auto">Automatic (the server's order, with fallback)</option>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.id} — {p.model}
                </option>
              ))}
              {missing && <option value={choice}>{choice} (not configured on this server)</option>}
            </select>
            <button
              type="button"
              className="small"
              disabled={loading}
              onClick={() => void load()}
              data-testid="ai-providers-reload"
            >
              {loading ? 'Checking…' : 'Refresh'}
            </button>
          </div>
          {missing && (
            <p className="warn-text">
              This server has no {choice} provider; pick another one or “Automatic”.
            </p>
          )}
          {error && (
            <p className="error-text" role="alert" data-testid="ai-providers-error">
              {error}
            </p>
          )}
          {info && providers.length === 0 && (
            <p className="warn-text" data-testid="ai-providers-empty">
              {NO_PROVIDER_MESSAGE}
            </p>
          )}
          {providers.length > 0 && (
            <ul className="ai-providers" data-testid="ai-providers">
              {providers.map((p, i) => (
                <li key={p.id} data-testid={`ai-provider-${p.id}`} data-health={p.health.status}>
                  <span className={`ai-health ${p.health.status}`} title={`health: ${p.health.status}`} />
                  <b>{p.id}</b>
                  <span>{p.model}</span>
                  <span className="muted small-text">
                    {i === 0 ? 'first · ' : ''}
                    {p.health.status === 'unknown' && 'not used yet'}
                    {p.health.status === 'ok' &&
                      `ok ${since(p.health.lastSuccessAt)}${p.health.lastLatencyMs !== null ? ` · ${fmtNum(p.health.lastLatencyMs / 1000)} s` : ''}`}
                    {p.health.status === 'error' &&
                      `failed ${since(p.health.lastErrorAt)}: ${p.health.lastError ?? ''}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
