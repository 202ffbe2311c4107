import type { Player } from '../audio/player';
import type { AppStore } from '../state/app-store';
import { STATUS } from '../state/library-index';

/** Plays (or stops) a file; loops loop, and loudness matching follows the setting. */
export function togglePlay(store: AppStore, player: Player, fileId: number, forcePlay = false): void {
  if (!forcePlay && player.state.fileId === fileId && (player.state.isPlaying || player.state.isLoading)) {
    player.stop();
    return;
  }
  const r = store.index.rowOfFile(fileId);
  if (r < 0) return;
  if (store.index.status[r] === STATUS.remote) {
    // Synced from another device: there is no audio here to play.
    if (player.state.fileId !== null) player.stop();
    store.notify(
      `“${store.index.name[r]}” is not on this device: its audio file is on another of your devices.`,
      'info',
    );
    return;
  }
  const lufs = store.index.lufs[r];
  void player.play(fileId, {
    loop: store.index.loop[r] === 1,
    lufs: Number.isNaN(lufs) ? null : lufs,
    matchLoudness: store.settings.loudnessMatch,
  });
}
