import { createRoot } from 'react-dom/client';
import { boot } from './boot';
import { listenForLaunchedFiles } from './import/file-launch';
import { App } from './ui/app';
import './ui/styles.css';

performance.mark('sm:start');
const root = createRoot(document.getElementById('root')!);

boot()
  .then((store) => {
    root.render(<App store={store} onReady={() => markReady()} />);
    listenForLaunchedFiles(store);
  })
  .catch((err) => {
    const message = err instanceof Error ? err.message : String(err);
    root.render(
      <div className="boot boot-error" role="alert">
        SampleMind could not open its library: {message}. If the browser blocks storage for this site (private
        mode), allow it and reload.
      </div>,
    );
  });

function markReady() {
  if (document.documentElement.dataset.ready) return;
  performance.mark('sm:interactive');
  document.documentElement.dataset.ready = '1';
}
