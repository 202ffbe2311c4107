import { useRegisterSW } from 'virtual:pwa-register/react';

/** Service worker: the app shell and engine are precached; a new build waits for the user's OK. */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      if (registration) document.documentElement.dataset.sw = 'registered';
    },
  });
  if (!needRefresh && !offlineReady) return null;
  return (
    <div className="notice info" role="status" data-testid="sw-notice">
      {needRefresh ? (
        <>
          A new version of SampleMind is available.{' '}
          <button type="button" onClick={() => void updateServiceWorker(true)} data-testid="sw-update">
            Update now
          </button>{' '}
          <button type="button" className="link" onClick={() => setNeedRefresh(false)}>
            later
          </button>
        </>
      ) : (
        <>
          SampleMind now works offline.{' '}
          <button type="button" className="link" onClick={() => setOfflineReady(false)}>
            ok
          </button>
        </>
      )}
    </div>
  );
}
