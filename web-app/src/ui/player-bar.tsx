import { STATUS } from '../state/library-index';
import { togglePlay } from './actions';
import { useSample } from './detail-panel';
import { NoAudio } from './not-on-device';
import { usePlayer, useStore } from './use-store';
import { Waveform } from './waveform-view';

/** Bottom bar: the focused (or playing) sample's waveform and transport. */
export function PlayerBar() {
  const store = useStore();
  const player = usePlayer();
  const { index } = store;
  const id = player.state.fileId ?? store.focus;
  const r = id === null ? -1 : index.rowOfFile(id);
  const sample = useSample(r >= 0 && index.status[r] === STATUS.done ? index.hash[r] || null : null);
  const playing = player.state.isPlaying;
  const isRemote = r >= 0 && index.status[r] === STATUS.remote;
  return (
    <footer className="player" data-testid="player" data-playing={playing ? '1' : '0'}>
      <button
        type="button"
        className="play-button"
        disabled={id === null || isRemote}
        title={isRemote ? 'Not on this device' : undefined}
        aria-label={playing ? 'Stop' : 'Play'}
        onClick={() => id !== null && togglePlay(store, player, id)}
        data-testid="player-toggle"
      >
        {playing ? '■' : '▶'}
      </button>
      <div className="player-info">
        <div className="player-name">{r >= 0 ? index.name[r] : 'Nothing selected'}</div>
        <div className="muted small-text">
          {player.state.isLoading
            ? 'loading…'
            : player.state.error
              ? player.state.error
              : player.state.isLooping && playing
                ? 'looping'
                : ''}
        </div>
      </div>
      {id !== null &&
        (isRemote ? (
          <NoAudio height={40} />
        ) : (
          <Waveform fileId={id} peaks={sample?.waveform.peaks ?? null} height={40} />
        ))}
      <label className="toggle small-text">
        <input
          type="checkbox"
          checked={store.settings.autoAudition}
          onChange={(e) => store.setSettings({ autoAudition: e.target.checked })}
        />
        auto-play on arrows
      </label>
    </footer>
  );
}
