import { ANALYSER_VERSION, type AnalysisResult, SAMPLE_TYPES, type SampleType } from '@samplemind/contract';
import { useEffect, useState } from 'react';
import { camelotOfCode, KEY_COUNT, keyLabel, keyOfCode } from '../query/keys';
import { editFiles } from '../state/library-actions';
import { EDITED, STATUS, STATUS_CODES } from '../state/library-index';
import { togglePlay } from './actions';
import { AiDescribePanel } from './ai-describe-panel';
import { fmtBpm, fmtDuration, fmtNum, fmtPct, midiName } from './format';
import { NOT_ON_DEVICE_HINT, NoAudio, NotOnDeviceBadge } from './not-on-device';
import { usePlayer, useStore } from './use-store';
import { Waveform } from './waveform-view';

const ALL_KEYS = Array.from({ length: KEY_COUNT }, (_, c) => c);

/** Loads the full analysis record of a content hash (the list itself never reads these). */
export function useSample(hash: string | null): AnalysisResult | null {
  const store = useStore();
  const [sample, setSample] = useState<AnalysisResult | null>(null);
  useEffect(() => {
    let live = true;
    setSample(null);
    if (hash) {
      void (async () => {
        // The current analyser's result, else the one an older version stored (until re-analysed).
        const s =
          (await store.db.samples.get([hash, ANALYSER_VERSION])) ??
          (await store.db.samples.where('contentHash').equals(hash).last());
        if (live) setSample(s ?? null);
      })();
    }
    return () => {
      live = false;
    };
  }, [hash, store.db]);
  return sample;
}

const Conf = ({ value }: { value: number }) => (
  <span className="conf" title="confidence">
    <span className="conf-bar" style={{ width: `${Math.round(value * 100)}%` }} />
    <span className="conf-text">{fmtPct(value)}</span>
  </span>
);

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <tr data-testid={testId}>
      <th>{label}</th>
      <td>{children}</td>
    </tr>
  );
}

export function DetailPanel() {
  const store = useStore();
  const player = usePlayer();
  const { index } = store;
  const id = store.focus;
  const r = id === null ? -1 : index.rowOfFile(id);
  const hash = r >= 0 ? index.hash[r] || null : null;
  const status = r >= 0 ? index.status[r] : -1;
  const isRemote = status === STATUS.remote;
  // A synced sample may have its analysis stored here even without the audio file.
  const sample = useSample(status === STATUS.done || isRemote ? hash : null);
  if (r < 0 || id === null)
    return <div className="panel-empty muted">Select a sample to see everything about it.</div>;

  const edit = index.edits[r];
  const edited = index.edited[r];
  const bpm = index.bpm[r];
  const key = index.key[r];
  const type = index.type[r];
  const save = (patch: (e: NonNullable<typeof edit>) => NonNullable<typeof edit>) =>
    void store.guard('Saving the edit failed', () => editFiles(store.db, index, [id], patch));
  const dups = index.duplicatesOf(r).filter((x) => x !== r);
  const playing = player.state.fileId === id && player.state.isPlaying;

  return (
    <div className="detail" data-testid="detail">
      <h2 className="detail-name" title={index.path[r]}>
        {index.name[r]}
      </h2>
      <p className="muted path">
        {index.path[r]}
        {isRemote && <NotOnDeviceBadge />}
      </p>
      {isRemote ? (
        <NoAudio height={72} />
      ) : (
        <Waveform fileId={id} peaks={sample?.waveform.peaks ?? null} height={72} />
      )}
      <div className="detail-actions">
        <button
          type="button"
          onClick={() => togglePlay(store, player, id)}
          data-testid="play"
          title={isRemote ? NOT_ON_DEVICE_HINT : undefined}
          disabled={status === STATUS.queued || isRemote}
        >
          {playing ? '■ Stop' : '▶ Play'}
        </button>
        <button
          type="button"
          onClick={() => store.setPanel('similar')}
          disabled={!sample}
          data-testid="more-like-this"
        >
          More like this
        </button>
        {edited !== 0 && (
          <button
            type="button"
            title="Drop your BPM/key/type corrections"
            onClick={() => save((e) => ({ ...e, bpm: undefined, key: undefined, type: undefined }))}
          >
            Reset edits
          </button>
        )}
      </div>
      {player.state.error && player.state.fileId === id && <p className="error-text">{player.state.error}</p>}
      {index.status[r] === STATUS.error && (
        <p className="error-text" data-testid="detail-error">
          {index.error[r]}
        </p>
      )}
      {index.status[r] === STATUS.queued && <p className="muted">Waiting for analysis…</p>}
      <table className="values">
        <tbody>
          <Row label="Status">{isRemote ? 'synced · not on this device' : STATUS_CODES[status]}</Row>
          {(status === STATUS.done || isRemote) && (
            <>
              <Row label="Type" testId="detail-type">
                <select
                  value={type >= 0 ? SAMPLE_TYPES[type] : ''}
                  className={edited & EDITED.type ? 'edited' : ''}
                  data-testid="type-override"
                  onChange={(e) => {
                    // Read now: the controlled select snaps back before the async save runs.
                    const t = e.target.value as SampleType;
                    save((x) => ({ ...x, type: t }));
                  }}
                >
                  {SAMPLE_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
                {sample && !(edited & EDITED.type) && <Conf value={sample.type.confidence} />}
                {edited & EDITED.type ? (
                  <span className="muted"> (measured: {sample?.type.label})</span>
                ) : null}
              </Row>
              <Row label="BPM" testId="detail-bpm">
                <b className={edited & EDITED.bpm ? 'edited' : ''} data-testid="bpm-value">
                  {fmtBpm(bpm) || '—'}
                </b>
                {!Number.isNaN(bpm) && (
                  <>
                    <button
                      type="button"
                      className="small"
                      data-testid="bpm-double"
                      onClick={() => save((x) => ({ ...x, bpm: bpm * 2 }))}
                    >
                      ×2
                    </button>
                    <button
                      type="button"
                      className="small"
                      data-testid="bpm-half"
                      onClick={() => save((x) => ({ ...x, bpm: bpm / 2 }))}
                    >
                      ÷2
                    </button>
                  </>
                )}
                {sample && !(edited & EDITED.bpm) && sample.tempo.bpm !== null && (
                  <Conf value={sample.tempo.confidence} />
                )}
                {sample?.tempo.bars ? (
                  <span className="muted">
                    {' '}
                    {sample.tempo.bars} bars · {sample.tempo.beats} beats
                  </span>
                ) : null}
              </Row>
              <Row label="Key" testId="detail-key">
                <select
                  value={key}
                  className={edited & EDITED.key ? 'edited' : ''}
                  data-testid="key-override"
                  onChange={(e) => {
                    const k = keyOfCode(Number(e.target.value));
                    save((x) => ({ ...x, key: k }));
                  }}
                >
                  <option value={-1}>none</option>
                  {ALL_KEYS.map((c) => (
                    <option key={c} value={c}>
                      {keyLabel(c)} ({camelotOfCode(c)})
                    </option>
                  ))}
                </select>
                {sample && !(edited & EDITED.key) && sample.key.tonic && (
                  <Conf value={sample.key.confidence} />
                )}
              </Row>
              <Row label="Root note">
                {Number.isNaN(index.root[r]) ? '—' : midiName(index.root[r])}
                {sample?.pitch.cents != null && (
                  <span className="muted">
                    {' '}
                    {sample.pitch.cents > 0 ? '+' : ''}
                    {sample.pitch.cents} ct
                  </span>
                )}
                {sample?.pitch.frequencyHz != null && (
                  <span className="muted"> · {sample.pitch.frequencyHz.toFixed(1)} Hz</span>
                )}
                {sample && sample.pitch.midiNote !== null && <Conf value={sample.pitch.confidence} />}
              </Row>
              <Row label="Loop">
                {index.loop[r] === 1 ? 'loop' : 'one-shot'}
                {sample && <Conf value={sample.loop.confidence} />}
              </Row>
              <Row label="Length">{fmtDuration(index.duration[r])}</Row>
              {sample && (
                <>
                  <Row label="Format">
                    {sample.format.container} · {sample.format.codec} · {sample.format.sampleRate} Hz ·{' '}
                    {sample.format.channels} ch
                    {sample.format.bitDepth ? ` · ${sample.format.bitDepth}-bit` : ''}
                  </Row>
                  <Row label="Loudness">
                    {fmtNum(sample.levels.lufs ?? Number.NaN)} LUFS · peak{' '}
                    {fmtNum(sample.levels.samplePeakDb ?? Number.NaN)} dBFS · true peak{' '}
                    {fmtNum(sample.levels.truePeakDb ?? Number.NaN)} dBTP · RMS{' '}
                    {fmtNum(sample.levels.rmsDb ?? Number.NaN)} dB
                    {sample.levels.loudnessRangeLu !== null &&
                      ` · LRA ${fmtNum(sample.levels.loudnessRangeLu)} LU`}
                  </Row>
                  <Row label="Envelope">
                    attack {(sample.envelope.attackSec * 1000).toFixed(0)} ms · decay{' '}
                    {fmtDuration(sample.envelope.decaySec)}
                  </Row>
                  <Row label="Spectrum">
                    centroid {sample.spectral.centroidHz.toFixed(0)} Hz · rolloff{' '}
                    {sample.spectral.rolloffHz.toFixed(0)} Hz · flatness {sample.spectral.flatness.toFixed(2)}
                  </Row>
                </>
              )}
            </>
          )}
        </tbody>
      </table>
      {sample && <Claimed sample={sample} />}
      {sample && sample.warnings.length > 0 && (
        <ul className="warnings">
          {sample.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {(edit?.tags?.length ?? 0) > 0 && (
        <p className="chips" data-testid="detail-tags">
          {edit!.tags!.map((t) => (
            <span key={t} className="chip on">
              #{index.tagName(t)}
            </span>
          ))}
        </p>
      )}
      <AiDescribePanel fileId={id} sample={sample} />
      {dups.length > 0 && (
        <div className="dups">
          <h3>Identical files ({dups.length})</h3>
          <ul>
            {dups.slice(0, 20).map((d) => (
              <li key={d}>
                <button type="button" className="link" onClick={() => store.select(index.fileId[d], 'only')}>
                  {index.path[d]}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Claimed({ sample }: { sample: AnalysisResult }) {
  const c = sample.claimed;
  const src = (k: string) => (c.sources[k] ? <span className="muted"> (from {c.sources[k]})</span> : null);
  const items: [string, React.ReactNode][] = [];
  if (c.bpm !== null)
    items.push([
      'BPM',
      <>
        {fmtBpm(c.bpm)}
        {src('bpm')}
      </>,
    ]);
  if (c.key)
    items.push([
      'Key',
      <>
        {c.key.tonic} {c.key.scale}
        {src('key')}
      </>,
    ]);
  if (c.rootNote !== null)
    items.push([
      'Root note',
      <>
        {midiName(c.rootNote)}
        {src('rootNote')}
      </>,
    ]);
  if (c.isLoop !== null)
    items.push([
      'Loop',
      <>
        {c.isLoop ? 'loop' : 'one-shot'}
        {src('isLoop')}
      </>,
    ]);
  for (const k of ['title', 'artist', 'genre', 'comment'] as const)
    if (c[k])
      items.push([
        k,
        <>
          {c[k]}
          {src(k)}
        </>,
      ]);
  if (!items.length) return null;
  return (
    <div className="claimed" data-testid="claimed">
      <h3>The file says</h3>
      <table className="values">
        <tbody>
          {items.map(([label, v]) => (
            <tr key={label}>
              <th>{label}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
