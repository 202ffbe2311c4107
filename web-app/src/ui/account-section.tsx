import { type FormEvent, useState } from 'react';
import { isApiError } from '../account/api-error';
import { useAccount } from '../account/use-account';

const message = (e: unknown) => (isApiError(e) || e instanceof Error ? e.message : String(e));

/** Runs one account action at a time and keeps its error to show. */
function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(message(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

function ErrorLine({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="error-text" role="alert" data-testid="settings-error">
      {text}
    </p>
  );
}

/** Which SampleMind server the app talks to. */
function ServerForm() {
  const { account, state } = useAccount();
  const [editing, setEditing] = useState(false);
  const [url, setUrl] = useState(state.serverUrl ?? '');
  const { busy, error, run } = useAction();
  const origin = globalThis.location?.origin;

  if (state.serverUrl && !editing)
    return (
      <div className="row">
        <span>
          Server <b data-testid="settings-server">{state.serverUrl}</b>
        </span>
        <button
          type="button"
          className="small"
          data-testid="settings-server-change"
          onClick={() => {
            setUrl(state.serverUrl ?? '');
            setEditing(true);
          }}
        >
          Change
        </button>
        <button
          type="button"
          className="small"
          data-testid="settings-server-forget"
          onClick={() => void run(() => account.disconnect())}
        >
          Disconnect
        </button>
      </div>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => account.connect(url))) setEditing(false);
  };
  return (
    <>
      <form onSubmit={submit}>
        <input
          type="text"
          inputMode="url"
          placeholder={origin ? `e.g. ${origin}` : 'https://samplemind.example.com'}
          aria-label="Server address"
          data-testid="settings-server-url"
          value={url}
          autoComplete="url"
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="submit" disabled={busy || !url.trim()} data-testid="settings-server-connect">
          {busy ? 'Checking…' : 'Connect'}
        </button>
        {origin?.startsWith('http') && (
          <button
            type="button"
            className="small"
            title="When this app is served by your SampleMind server"
            onClick={() => setUrl(origin)}
          >
            This site
          </button>
        )}
        {state.serverUrl && (
          <button type="button" className="small" onClick={() => setEditing(false)}>
            Keep {state.serverUrl}
          </button>
        )}
      </form>
      <ErrorLine text={error} />
    </>
  );
}

function SignInForm() {
  const { account } = useAccount();
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [login, setLogin] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run, setError } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() =>
      mode === 'sign-in'
        ? account.signIn(login, password)
        : account.signUp({ email: email.trim(), username: login.trim(), password }),
    );
    if (ok) setPassword('');
  };
  const switchTo = (m: typeof mode) => {
    setMode(m);
    setError(null);
  };
  return (
    <>
      <div className="tabs-inline">
        <button
          type="button"
          className="small"
          aria-pressed={mode === 'sign-in'}
          data-testid="settings-mode-sign-in"
          onClick={() => switchTo('sign-in')}
        >
          Sign in
        </button>
        <button
          type="button"
          className="small"
          aria-pressed={mode === 'sign-up'}
          data-testid="settings-mode-sign-up"
          onClick={() => switchTo('sign-up')}
        >
          Create account
        </button>
      </div>
      <form onSubmit={submit} data-testid={`settings-${mode}-form`}>
        {mode === 'sign-up' && (
          <input
            type="email"
            placeholder="email"
            aria-label="Email"
            autoComplete="email"
            data-testid="settings-email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
        <input
          type="text"
          placeholder={mode === 'sign-in' ? 'username or email' : 'username'}
          aria-label={mode === 'sign-in' ? 'Username or email' : 'Username'}
          autoComplete="username"
          data-testid="settings-login"
          value={login}
          onChange={(e) => setLogin(e.target.value)}
        />
        <input
          type="password"
          placeholder={mode === 'sign-in' ? 'password' : 'password (8+ characters)'}
          aria-label="Password"
          autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
          data-testid="settings-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button
          type="submit"
          disabled={busy || !login.trim() || !password || (mode === 'sign-up' && !email.trim())}
          data-testid="settings-submit"
        >
          {busy ? '…' : mode === 'sign-in' ? 'Sign in' : 'Create account'}
        </button>
      </form>
      <ErrorLine text={error} />
    </>
  );
}

/** Server address and sign in / sign up / sign out. */
export function AccountSection() {
  const { account, state } = useAccount();
  const { busy, error, run } = useAction();
  if (!state.loaded) return <section className="muted">Loading…</section>;
  return (
    <section data-testid="settings-account">
      <h3>Server and account</h3>
      <p className="muted small-text">
        Your audio never leaves this device. A server lets you sign in, sync, and use AI descriptions (only
        the analysis numbers and file names are sent).
      </p>
      <ServerForm />
      {state.serverUrl && !state.session && (
        <>
          {state.endedReason && (
            <p className="warn-text" role="status" data-testid="settings-session-ended">
              {state.endedReason}
            </p>
          )}
          <SignInForm />
        </>
      )}
      {state.serverUrl && state.session && (
        <div className="row" data-testid="settings-signed-in">
          <span>
            Signed in as <b data-testid="settings-username">{state.user?.username ?? '…'}</b>
            {state.user?.email && <span className="muted"> ({state.user.email})</span>}
          </span>
          <button
            type="button"
            className="small"
            disabled={busy}
            data-testid="settings-sign-out"
            onClick={() => void run(() => account.signOut())}
          >
            Sign out
          </button>
        </div>
      )}
      <ErrorLine text={error} />
    </section>
  );
}
