import type { AnalysisResult } from '@samplemind/contract';
import { useState } from 'react';
import { isApiError } from '../account/api-error';
import { useAccount } from '../account/use-account';
import { aiBlocker, describeAiError } from '../ai/ai-messages';
import { aiProviderChoice } from '../ai/ai-prefs';
import { getAiServices } from '../ai/ai-services';
import { AI_PROMPT_VERSION, type AiRecord } from '../ai/ai-store';
import { type DescribeProgress, describeOne } from '../ai/describe-one';
import { sampleInputFor } from '../ai/sample-input';
import { useAiRecord } from '../ai/use-ai-record';
import { addTag } from '../state/library-actions';
import { STATUS } from '../state/library-index';
import '../ai/ai.css';
import { fmtDate, fmtPct } from './format';
import { SettingsDialog } from './settings-panel';
import { useStore } from './use-store';

export type AiDescribePanelProps = {
  /** The file shown in the detail panel. */
  fileId: number;
  /** Its analysis when the caller already loaded it (else read from the library by content hash). */
  sample?: AnalysisResult | null;
};

type Job = { hash: string; controller: AbortController; progress: DescribeProgress };
type Failure = { hash: string; text: string; account: boolean };

const Conf = ({ value }: { value: number }) => (
  <span className="conf" title="confidence">
    <span className="conf-bar" style={{ width: `${Math.round(value * 100)}%` }} />
    <span className="conf-text">{fmtPct(value)}</span>
  </span>
);

/** "Describe with AI" for one sample, and the stored description with its tags to apply. */
export function AiDescribeBody({ fileId, sample }: AiDescribePanelProps) {
  const store = useStore();
  const { state } = useAccount();
  const { index } = store;
  const r = index.rowOfFile(fileId);
  const hash = r >= 0 && index.status[r] === STATUS.done ? index.hash[r] || null : null;
  const record = useAiRecord(hash);
  const [job, setJob] = useState<Job | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  if (!hash) return null;

  const running = job?.hash === hash ? job : null;
  const error = failure?.hash === hash ? failure : null;
  const blocker = aiBlocker(state);

  const describe = async (refresh: boolean) => {
    const controller = new AbortController();
    const fresh: DescribeProgress = { text: '', provider: null, model: null, fallback: null };
    setJob({ hash, controller, progress: fresh });
    setFailure(null);
    try {
      const input = await sampleInputFor(store.db, index, fileId, sample);
      if (!input) throw new Error('This sample has no analysis to describe yet.');
      const provider = aiProviderChoice.provider();
      await describeOne(getAiServices(), input, {
        ...(provider ? { provider } : {}),
        refresh,
        signal: controller.signal,
        onProgress: (progress) => setJob((j) => (j?.controller === controller ? { ...j, progress } : j)),
      });
    } catch (e) {
      if (!(isApiError(e) && e.kind === 'cancelled'))
        setFailure({
          hash,
          text: describeAiError(e),
          account: isApiError(e) && (e.kind === 'no-server' || e.kind === 'signed-out'),
        });
    } finally {
      setJob((j) => (j?.controller === controller ? null : j));
    }
  };

  return (
    <section className="ai-panel" data-testid="ai-panel" aria-busy={!!running}>
      <div className="ai-panel-head">
        <h3>AI description</h3>
        {running ? (
          <button
            type="button"
            className="small"
            data-testid="ai-cancel"
            onClick={() => running.controller.abort()}
          >
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="small"
            data-testid="ai-describe"
            disabled={!state.loaded || !!blocker}
            title={
              record
                ? 'Ask again, skipping the server’s cache'
                : 'Only the analysis numbers and the file name are sent'
            }
            onClick={() => void describe(!!record)}
          >
            {record ? 'Describe again' : 'Describe with AI'}
          </button>
        )}
      </div>
      {blocker && (
        <p className="ai-hint" data-testid="ai-hint">
          {blocker}{' '}
          <button
            type="button"
            className="link"
            data-testid="ai-open-settings"
            onClick={() => setSettingsOpen(true)}
          >
            Open Settings
          </button>
        </p>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="ai-error">
          {error.text}{' '}
          {error.account && (
            <button type="button" className="link" onClick={() => setSettingsOpen(true)}>
              Open Settings
            </button>
          )}
        </p>
      )}
      {running && (
        <p className="ai-description ai-streaming" data-testid="ai-streaming">
          {running.progress.fallback && (
            <span className="warn-text">{running.progress.fallback}; trying the next provider… </span>
          )}
          {running.progress.text || 'Describing…'}
        </p>
      )}
      {!running && record && <AiResult record={record} fileId={fileId} />}
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
    </section>
  );
}

function AiResult({ record, fileId }: { record: AiRecord; fileId: number }) {
  const store = useStore();
  const { index } = store;
  const r = index.rowOfFile(fileId);
  const a = record.analysis;
  const applied = new Set((r >= 0 ? (index.tags[r] ?? []) : []).map((t) => index.tagName(t).toLowerCase()));
  const suggestions = [
    ...a.tags.map((name) => ({ name, free: false })),
    ...a.freeTags.map((name) => ({ name, free: true })),
  ].filter((t, i, all) => all.findIndex((u) => u.name === t.name) === i);
  const open = suggestions.filter((t) => !applied.has(t.name.toLowerCase())).map((t) => t.name);
  // Through the library's own tag action: the same edit rows, index patch and undo-free semantics as typed tags.
  const apply = (names: string[]) =>
    void store.guard('Adding the tag failed', async () => {
      for (const name of names) await addTag(store.db, index, [fileId], name);
    });

  return (
    <div data-testid="ai-result">
      <p className="ai-description" data-testid="ai-description">
        {a.description}
      </p>
      {suggestions.length > 0 && (
        <>
          <h4>Suggested tags</h4>
          <div className="chips" data-testid="ai-tags">
            {suggestions.map((t) => {
              const on = applied.has(t.name.toLowerCase());
              return (
                <button
                  key={t.name}
                  type="button"
                  className={`chip ai-tag${t.free ? ' free' : ''}`}
                  aria-pressed={on}
                  data-testid={`ai-tag-${t.name}`}
                  title={
                    on
                      ? 'Already a tag of this sample'
                      : t.free
                        ? 'Add this tag (outside the vocabulary)'
                        : 'Add this tag'
                  }
                  onClick={() => !on && apply([t.name])}
                >
                  {on ? '✓ ' : '+ '}
                  {t.name}
                </button>
              );
            })}
            {open.length > 1 && (
              <button
                type="button"
                className="small"
                data-testid="ai-tags-apply-all"
                onClick={() => apply(open)}
              >
                Add all
              </button>
            )}
          </div>
        </>
      )}
      {a.genres.length > 0 && (
        <>
          <h4>Genres</h4>
          <div className="ai-guesses" data-testid="ai-genres">
            {a.genres.map((g) => (
              <span key={g.name}>
                {g.name}
                <Conf value={g.confidence} />
              </span>
            ))}
          </div>
        </>
      )}
      {a.moods.length > 0 && (
        <>
          <h4>Moods</h4>
          <div className="ai-guesses" data-testid="ai-moods">
            {a.moods.map((m) => (
              <span key={m.name}>
                {m.name}
                <Conf value={m.confidence} />
              </span>
            ))}
          </div>
        </>
      )}
      {a.productionTips.length > 0 && (
        <>
          <h4>Production tips</h4>
          <ul data-testid="ai-tips">
            {a.productionTips.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </>
      )}
      {a.creativeIdeas.length > 0 && (
        <>
          <h4>Ideas</h4>
          <ul data-testid="ai-ideas">
            {a.creativeIdeas.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        </>
      )}
      <p className="ai-meta" data-testid="ai-meta">
        {record.provider} · {record.model} · {record.cached ? 'from the server’s cache' : 'new answer'} ·{' '}
        {fmtDate(record.describedAt)}
        {record.promptVersion !== AI_PROMPT_VERSION &&
          ' · from an older prompt: describe again for the current one'}
      </p>
    </div>
  );
}
